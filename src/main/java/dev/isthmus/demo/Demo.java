package dev.isthmus.demo;

import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The foundation demo: two functions assembled by hand with the {@code dev.isthmus.x64} assembler, mapped W^X
 * by {@link dev.isthmus.tooling.Tooling#executable}, and called from Java through {@code Linker.downcallHandle}.
 *
 * <ul>
 *   <li>{@link #ackermann(int, int)}: recursive, in clang's loop shape with one callee-saved register;
 *   <li>{@link #fib(int)}: iterative 64-bit Fibonacci.
 * </ul>
 *
 * <p>The CLI calls {@link #run(String...)}: {@code isthmus demo [ackermann M N | fib N | listing]}.
 */
public final class Demo {
    private Demo() {
    }

    /** What {@link #run(String...)} accepts. */
    public static final String USAGE = "usage: isthmus demo [ackermann M N | fib N | listing]\n"
            + "  ackermann M N   the hand-assembled recursive Ackermann function (result at most "
            + AckermannLimits.MAX_RESULT + ")\n"
            + "  fib N           the hand-assembled iterative Fibonacci number, 64-bit wrap-around (N >= 0)\n"
            + "  listing         the hand-assembled machine code, annotated\n"
            + "  (no arguments)  a few of each";

    /** Native stack a call may use before it gets a thread of its own with a stack sized for it. */
    private static final long CALLER_STACK_BUDGET = 64 * 1024;
    /** Room on a dedicated thread's stack for the JVM's own frames, the downcall stub and the guard zones. */
    private static final long STACK_MARGIN = 1024 * 1024;

    /**
     * {@code ackermann(m, n)} computed by the hand-assembled native function.
     *
     * <p>Deep recursions run on a fresh platform thread whose stack is sized for them, so native recursion can never
     * run into the JVM's stack guard pages.
     *
     * @throws IllegalArgumentException when {@code m} or {@code n} is negative or the result would exceed
     *         {@code 2^17} (the demo's bound on time and stack)
     */
    public static int ackermann(int m, int n) {
        long expectedBound = AckermannLimits.resultWithinLimit(m, n);
        if (expectedBound < 0) {
            throw new IllegalArgumentException("ackermann(" + m + ", " + n + ") is larger than the demo's limit "
                    + AckermannLimits.MAX_RESULT);
        }
        long stack = AckermannLimits.stackBytes(expectedBound);
        if (stack <= CALLER_STACK_BUDGET) {
            return callAckermann(m, n);
        }
        return onOwnStack(m, n, stack + STACK_MARGIN);
    }

    /**
     * The {@code n}-th Fibonacci number computed by the hand-assembled native function, modulo 2^64 (as a signed
     * {@code long}): {@code fib(0) = 0}, {@code fib(1) = 1}, {@code fib(93)} is the first to wrap.
     */
    public static long fib(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("fib is defined for n >= 0, got " + n);
        }
        try {
            return (long) DemoCode.FIB.invokeExact((long) n);
        } catch (Throwable t) {
            throw new IllegalStateException("native fib failed", t);
        }
    }

    /** The machine code of both functions: address, bytes in hex and the Intel text each was written as. */
    public static String listing() {
        long base = DemoCode.MEMORY.address();
        return "; ackermann(int m, int n) -> int at 0x" + Long.toHexString(base + DemoCode.ACKERMANN_OFFSET) + "\n"
                + DemoCode.ACKERMANN_CODE.listing()
                + "\n; fib(long n) -> long at 0x" + Long.toHexString(base + DemoCode.FIB_OFFSET) + "\n"
                + DemoCode.FIB_CODE.listing();
    }

    /** Both functions' bytes as plain hex strings, e.g. for comparing with another tool. */
    public static String hex() {
        HexFormat hex = HexFormat.of();
        return "ackermann " + hex.formatHex(DemoCode.ACKERMANN_CODE.finishedCode()) + "\n"
                + "fib " + hex.formatHex(DemoCode.FIB_CODE.finishedCode()) + "\n";
    }

    /**
     * Runs the demo for command-line arguments and returns what to print.
     *
     * @throws IllegalArgumentException with {@link #USAGE} (or the reason) for bad arguments
     */
    public static String run(String... args) {
        if (args.length == 0) {
            StringBuilder out = new StringBuilder();
            int[][] ackermannInputs = {{0, 0}, {1, 2}, {2, 3}, {3, 3}, {3, 8}};
            for (int[] in : ackermannInputs) {
                out.append(describeAckermann(in[0], in[1])).append('\n');
            }
            for (int n : new int[] {0, 1, 10, 50, 92, 93}) {
                out.append(describeFib(n)).append('\n');
            }
            return out.toString();
        }
        return switch (args[0]) {
            case "ackermann" -> {
                requireCount(args, 3);
                yield describeAckermann(parse(args[1]), parse(args[2])) + "\n";
            }
            case "fib" -> {
                requireCount(args, 2);
                yield describeFib(parse(args[1])) + "\n";
            }
            case "listing" -> {
                requireCount(args, 1);
                yield listing();
            }
            default -> throw new IllegalArgumentException("unknown demo '" + args[0] + "'\n" + USAGE);
        };
    }

    private static String describeAckermann(int m, int n) {
        DemoCode.MEMORY.address();             // map the code before timing
        long start = System.nanoTime();
        int result = ackermann(m, n);
        long micros = (System.nanoTime() - start) / 1000;
        return "ackermann(" + m + ", " + n + ") = " + result + "   (" + formatMicros(micros) + ")";
    }

    private static String describeFib(int n) {
        long result = fib(n);
        String text = "fib(" + n + ") = " + Long.toUnsignedString(result);
        return n >= 93 ? text + "   (mod 2^64)" : text;
    }

    private static String formatMicros(long micros) {
        return micros < 10_000 ? micros + " us" : (micros / 1000) + " ms";
    }

    private static int callAckermann(int m, int n) {
        try {
            return (int) DemoCode.ACKERMANN.invokeExact(m, n);
        } catch (Throwable t) {
            throw new IllegalStateException("native ackermann failed", t);
        }
    }

    private static int onOwnStack(int m, int n, long stackBytes) {
        int[] result = new int[1];
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("isthmus-demo-ackermann").stackSize(stackBytes).unstarted(() -> {
            try {
                result[0] = callAckermann(m, n);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        worker.start();
        joinUninterruptibly(worker);
        if (failure.get() != null) {
            throw failure.get();
        }
        return result[0];
    }

    private static void joinUninterruptibly(Thread worker) {
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;            // native code cannot be stopped; wait for it, keep the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requireCount(String[] args, int count) {
        if (args.length != count) {
            throw new IllegalArgumentException(USAGE);
        }
    }

    private static int parse(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: '" + text + "'\n" + USAGE);
        }
    }
}
