package dev.isthmus.runtime.trap;

import dev.isthmus.runtime.abi.TrapCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrapKindTest {
    @Test
    void codesRoundTripAndAreNeverZero() {
        for (TrapCode kind : TrapCode.values()) {
            assertTrue(kind.code() > 0);
            assertEquals(kind, TrapCode.fromCode(kind.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> TrapCode.fromCode(0));
        assertThrows(IllegalArgumentException.class, () -> TrapCode.fromCode(TrapCode.values().length + 1));
    }

    @Test
    void messagesAreTheSpecTexts() {
        assertEquals("unreachable", TrapCode.UNREACHABLE.message());
        assertEquals("integer divide by zero", TrapCode.INTEGER_DIVIDE_BY_ZERO.message());
        assertEquals("integer overflow", TrapCode.INTEGER_OVERFLOW.message());
        assertEquals("invalid conversion to integer", TrapCode.INVALID_CONVERSION_TO_INTEGER.message());
        assertEquals("out of bounds memory access", TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS.message());
        assertEquals("out of bounds table access", TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS.message());
        assertEquals("indirect call type mismatch", TrapCode.INDIRECT_CALL_TYPE_MISMATCH.message());
        assertEquals("uninitialized element", TrapCode.UNINITIALIZED_ELEMENT.message());
        assertEquals("call stack exhausted", TrapCode.CALL_STACK_EXHAUSTED.message());
        assertEquals("undefined element", TrapCode.UNDEFINED_ELEMENT.message());
        assertEquals("null reference", TrapCode.NULL_REFERENCE.message());
        Set<String> distinct = new HashSet<>();
        for (TrapCode kind : TrapCode.values()) {
            assertTrue(distinct.add(kind.message()), "duplicate message " + kind.message());
        }
    }

    @Test
    void trapCarriesKindMessageAndBacktrace() {
        TrapException plain = new TrapException(TrapCode.UNREACHABLE);
        assertEquals("unreachable", plain.getMessage());
        assertEquals(List.of(), plain.backtrace());

        List<TrapFrame> frames = List.of(new TrapFrame(3, Optional.of("fac"), 0x2a), new TrapFrame(0, -1));
        TrapException detailed = new TrapException(TrapCode.INTEGER_DIVIDE_BY_ZERO, "i32.div_s", frames);
        assertEquals(TrapCode.INTEGER_DIVIDE_BY_ZERO, detailed.kind());
        assertEquals("integer divide by zero: i32.div_s", detailed.getMessage());
        assertEquals(frames, detailed.backtrace());
        assertEquals("wasm trap: integer divide by zero: i32.div_s\n    at 3: $fac @ 0x2a\n    at 0: <func 0> @ ?",
                detailed.describe());
    }
}
