package dev.isthmus.runtime.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A lazy stub written as bytes is what the assembler (checked against GNU as and Zydis) writes for it. */
class LazyStubTest {
    @Test
    void stubsAreTheAssemblersBytes() {
        for (int f : new int[] {0, 1, 127, 128, 65_535, 1 << 20, Integer.MAX_VALUE}) {
            for (int handler : new int[] {0, 16, 4096}) {
                int at = handler + 32 + 16 * (f & 7);
                byte[] code = new byte[at + 16];
                LazyBase.writeStub(code, at, f, handler);
                assertArrayEquals(LazyBase.assembledStub(f, handler - at), Arrays.copyOfRange(code, at, at + 16),
                        "f=" + f + " handler=" + handler);
            }
        }
    }
}
