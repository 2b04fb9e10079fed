package dev.isthmus.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Modules large enough ({@link ParallelBodies#PARALLEL_BYTES}) that their bodies are scanned and validated on
 * several threads report the error reading them in order reports: the first bad body's, whichever thread met it
 * first, and whatever later bodies are bad too.
 */
class ParallelBodiesTest {
    private static final int FUNCTIONS = 2000;

    /** FUNCTIONS functions of ~700 code bytes each (above the parallel threshold), {@code bad} ones ill-typed. */
    private static byte[] module(List<Integer> bad) {
        StringBuilder wat = new StringBuilder("(module\n");
        for (int i = 0; i < FUNCTIONS; i++) {
            wat.append("(func (param i32) (result i32)");
            for (int k = 0; k < 100; k++) wat.append(" (local.set 0 (i32.add (local.get 0) (i32.const 1000)))");
            wat.append(bad.contains(i) ? " (i64.const 0))\n" : " (local.get 0))\n");
        }
        return Wat.toBinary(wat.append(")").toString());
    }

    @Test
    void theModuleIsLargeEnoughToBeSplit() {
        WasmModule module = ModuleDecoder.decode(module(List.of()));
        long bytes = module.codes().stream().mapToLong(b -> b.codeUnsafe().length).sum();
        assertTrue(bytes > ParallelBodies.PARALLEL_BYTES, bytes + " bytes of code");
        Validator.validate(module);
    }

    @Test
    void theFirstInvalidBodyIsReported() {
        String alone = invalid(List.of(1500));
        assertTrue(alone.contains("1500") || alone.contains(String.valueOf(1500)), alone);
        for (List<Integer> bad : List.of(List.of(1500, 1700), List.of(1500, 1999), List.of(1500, 1501, 1502))) {
            assertEquals(alone, invalid(bad), bad.toString());
        }
        assertEquals(invalid(List.of(3)), invalid(List.of(3, 600, 1200, 1800)));
    }

    private static String invalid(List<Integer> bad) {
        WasmModule module = ModuleDecoder.decode(module(bad));
        return assertThrows(ValidationException.class, () -> Validator.validate(module)).getMessage();
    }

    @Test
    void theFirstMalformedBodyIsReported() {
        byte[] valid = module(List.of());
        WasmModule decoded = ModuleDecoder.decode(valid);
        String alone = malformed(valid, decoded, List.of(900));
        for (List<Integer> bad : List.of(List.of(900, 1200), List.of(900, 1999), List.of(900, 901))) {
            assertEquals(alone, malformed(valid, decoded, bad), bad.toString());
        }
        assertEquals(malformed(valid, decoded, List.of(0)), malformed(valid, decoded, List.of(0, 1000, 1500)));
    }

    /** {@code valid} with the first instruction of each {@code bad} body replaced by an illegal opcode. */
    private static String malformed(byte[] valid, WasmModule decoded, List<Integer> bad) {
        byte[] bytes = valid.clone();
        for (int i : bad) bytes[decoded.codes().get(i).codeOffset()] = (byte) 0xD7;   // no such opcode
        DecodeException e = assertThrows(DecodeException.class, () -> ModuleDecoder.decode(bytes));
        return e.getMessage() + " @" + e.offset();
    }
}
