package dev.isthmus.demo;

/**
 * Which {@code ackermann(m, n)} calls the demo accepts, and how much native stack one needs.
 *
 * <p>Ackermann grows so fast that the limit is stated on the result: {@code A(m, n) <= } {@link #MAX_RESULT}. Results
 * come from the closed forms {@code A(0,n) = n+1}, {@code A(1,n) = n+2}, {@code A(2,n) = 2n+3},
 * {@code A(3,n) = 2^(n+3) - 3} and, above that, from {@code A(m,0) = A(m-1,1)}, {@code A(m,n) = A(m-1, A(m,n-1))},
 * giving up as soon as any value exceeds the limit (A is increasing in both arguments).
 *
 * <p>Stack: in the hand-assembled loop form the recursive calls nest at most {@code A(m, n)} deep (each nested call
 * has a strictly smaller result), and each frame is 16 bytes (return address + saved rbx).
 */
final class AckermannLimits {
    private AckermannLimits() {
    }

    /** The largest result the demo computes: A(3, 14) = 131069 is in, A(3, 15) is not. */
    static final long MAX_RESULT = 1L << 17;
    /** Bytes of native stack per nested call: return address and the saved rbx. */
    static final long FRAME_BYTES = 16;

    /** A(m, n) if it is at most {@link #MAX_RESULT}, else -1. Arguments must be non-negative. */
    static long resultWithinLimit(int m, long n) {
        if (m < 0 || n < 0) {
            throw new IllegalArgumentException("ackermann is defined for m, n >= 0");
        }
        return bounded(m, n);
    }

    /** Bytes of native stack that {@code ackermann(m, n)} may use, given its (bounded) result. */
    static long stackBytes(long result) {
        return (result + 2) * FRAME_BYTES;
    }

    private static long bounded(int m, long n) {
        if (n > MAX_RESULT) {
            return -1;                          // A(m, n) > n
        }
        long value = switch (m) {
            case 0 -> n + 1;
            case 1 -> n + 2;
            case 2 -> 2 * n + 3;
            case 3 -> n + 3 >= 62 ? -1 : (1L << (n + 3)) - 3;
            default -> {
                if (m > 5) {
                    yield -1;                   // A(6, 0) = A(5, 1) = A(4, 65533): astronomically large
                }
                long a = bounded(m - 1, 1);     // A(m, 0)
                for (long i = 1; i <= n && a >= 0; i++) {
                    a = bounded(m - 1, a);      // A(m, i) = A(m - 1, A(m, i - 1))
                }
                yield a;
            }
        };
        return value > MAX_RESULT ? -1 : value;
    }
}
