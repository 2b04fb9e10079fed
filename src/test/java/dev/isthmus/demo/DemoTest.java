package dev.isthmus.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.code.CodeRegistry;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DemoTest {
    /**
     * The bytes GNU as 2.40 produces for the listing in {@link AckermannAssembly}'s comment ({@code .intel_syntax
     * noprefix}, {@code .p2align 4} for the alignment) — the same bytes as clang's native code in the seed issue.
     */
    private static final String ACKERMANN_GNU_AS =
            "5389f085ff742889fbeb0f0f1f440000b80100000083c3ff741585c074f283c0ff89df89c6e8d6ffffff83c3ff75eb83c0015bc3";
    /** GNU as 2.40 for the listing in {@link FibonacciAssembly}'s comment. */
    private static final String FIB_GNU_AS =
            "31c0ba010000004885ff7e140f1f4000488d0c104889d04889ca4883ef0175f0c3";

    @Test
    void machineCodeMatchesAnIndependentAssembler() {
        HexFormat hex = HexFormat.of();
        assertEquals(ACKERMANN_GNU_AS, hex.formatHex(DemoCode.ACKERMANN_CODE.finishedCode()));
        assertEquals(FIB_GNU_AS, hex.formatHex(DemoCode.FIB_CODE.finishedCode()));
    }

    @Test
    void ackermannAgreesWithJava() {
        for (int m = 0; m <= 3; m++) {
            for (int n = 0; n <= 8; n++) {
                assertEquals(JavaReference.ackermann(m, n), Demo.ackermann(m, n), "ackermann(" + m + ", " + n + ")");
            }
        }
        for (int n = 0; n <= 2000; n += 97) {
            for (int m = 0; m <= 2; m++) {
                assertEquals(JavaReference.ackermann(m, n), Demo.ackermann(m, n), "ackermann(" + m + ", " + n + ")");
            }
        }
        assertEquals(13, Demo.ackermann(4, 0));
    }

    @Test
    void deepRecursionRunsOnAStackSizedForIt() {
        // A(3, 11) nests ~8k native frames (128 KiB): more than the caller budget, so it runs on its own thread.
        assertEquals((1 << 14) - 3, Demo.ackermann(3, 11));
    }

    @Test
    void ackermannRejectsWhatItCannotFinish() {
        assertThrows(IllegalArgumentException.class, () -> Demo.ackermann(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Demo.ackermann(0, -1));
        assertThrows(IllegalArgumentException.class, () -> Demo.ackermann(3, 15));
        assertThrows(IllegalArgumentException.class, () -> Demo.ackermann(4, 2));
        assertThrows(IllegalArgumentException.class, () -> Demo.ackermann(Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void fibAgreesWithJavaIncludingWrapAround() {
        for (int n = 0; n <= 300; n++) {
            assertEquals(JavaReference.fib(n), Demo.fib(n), "fib(" + n + ")");
        }
        assertEquals(7540113804746346429L, Demo.fib(92));
        assertEquals(JavaReference.fib(100_000), Demo.fib(100_000));
        assertThrows(IllegalArgumentException.class, () -> Demo.fib(-1));
    }

    @Test
    void codeIsRegisteredAndSealed() {
        long base = DemoCode.MEMORY.address();
        assertTrue(DemoCode.MEMORY.isSealed());
        assertSame(CodeRegistry.global().lookup(base), CodeRegistry.global().lookup(base + DemoCode.FIB_OFFSET));
        assertEquals("isthmus demo", CodeRegistry.global().lookup(base).owner());
        assertEquals(0, DemoCode.FIB_OFFSET % 64);
    }

    @Test
    void runFormatsResultsAndRejectsBadArguments() {
        assertTrue(Demo.run("ackermann", "2", "3").startsWith("ackermann(2, 3) = 9 "));
        assertEquals("fib(10) = 55\n", Demo.run("fib", "10"));
        assertEquals("fib(93) = 12200160415121876738   (mod 2^64)\n", Demo.run("fib", "93"));
        String all = Demo.run();
        assertTrue(all.contains("ackermann(3, 3) = 61") && all.contains("fib(50) = 12586269025"), all);
        String listing = Demo.run("listing");
        assertTrue(listing.contains("0025  e8 d6 ff ff ff"), listing);
        assertTrue(listing.contains("call ackermann"), listing);
        assertTrue(listing.contains("lea rcx, [rax + rdx]"), listing);
        assertThrows(IllegalArgumentException.class, () -> Demo.run("ackermann", "1"));
        assertThrows(IllegalArgumentException.class, () -> Demo.run("fib", "x"));
        assertThrows(IllegalArgumentException.class, () -> Demo.run("nonsense"));
        assertTrue(Demo.hex().startsWith("ackermann " + ACKERMANN_GNU_AS));
    }
}
