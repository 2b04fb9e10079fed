package dev.isthmus.runtime.trap;

import dev.isthmus.runtime.abi.TrapKind;
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
        for (TrapKind kind : TrapKind.values()) {
            assertTrue(kind.code() > 0);
            assertEquals(kind, TrapKind.fromCode(kind.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> TrapKind.fromCode(0));
        assertThrows(IllegalArgumentException.class, () -> TrapKind.fromCode(TrapKind.values().length + 1));
    }

    @Test
    void messagesAreTheSpecTexts() {
        assertEquals("unreachable", TrapKind.UNREACHABLE.message());
        assertEquals("integer divide by zero", TrapKind.INTEGER_DIVIDE_BY_ZERO.message());
        assertEquals("integer overflow", TrapKind.INTEGER_OVERFLOW.message());
        assertEquals("invalid conversion to integer", TrapKind.INVALID_CONVERSION_TO_INTEGER.message());
        assertEquals("out of bounds memory access", TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS.message());
        assertEquals("out of bounds table access", TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS.message());
        assertEquals("indirect call type mismatch", TrapKind.INDIRECT_CALL_TYPE_MISMATCH.message());
        assertEquals("uninitialized element", TrapKind.UNINITIALIZED_ELEMENT.message());
        assertEquals("call stack exhausted", TrapKind.CALL_STACK_EXHAUSTED.message());
        assertEquals("undefined element", TrapKind.UNDEFINED_ELEMENT.message());
        assertEquals("null reference", TrapKind.NULL_REFERENCE.message());
        Set<String> distinct = new HashSet<>();
        for (TrapKind kind : TrapKind.values()) {
            assertTrue(distinct.add(kind.message()), "duplicate message " + kind.message());
        }
    }

    @Test
    void trapCarriesKindMessageAndBacktrace() {
        WasmTrap plain = new WasmTrap(TrapKind.UNREACHABLE);
        assertEquals("unreachable", plain.getMessage());
        assertEquals(List.of(), plain.backtrace());

        List<WasmFrame> frames = List.of(new WasmFrame(3, Optional.of("fac"), 0x2a), new WasmFrame(0, -1));
        WasmTrap detailed = new WasmTrap(TrapKind.INTEGER_DIVIDE_BY_ZERO, "i32.div_s", frames);
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, detailed.kind());
        assertEquals("integer divide by zero: i32.div_s", detailed.getMessage());
        assertEquals(frames, detailed.backtrace());
        assertEquals("wasm trap: integer divide by zero: i32.div_s\n    at 3: $fac @ 0x2a\n    at 0: <func 0> @ ?",
                detailed.describe());
    }
}
