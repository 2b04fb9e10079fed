package dev.isthmus.robustness;

/**
 * Generates a module whose one function has a frame of a chosen size: {@code big(n)} gives each of its
 * {@code locals} i64 locals a value, recurses with {@code n - 1} (endlessly for a negative {@code n}) while all of
 * them are live, and sums them afterwards, so that both tiers must keep every local in the frame across the call.
 *
 * <pre>
 *   (func $big (param $n i32) (result i64) (local $l0 i64) ... (local $lK-1 i64)
 *     n == 0 ? return 0
 *     l_k = n + k                       for every k      8 * K bytes of frame, all live across the call
 *     big(n - 1) + l_0 + ... + l_K-1
 * </pre>
 */
final class LargeFrameModule {
    private LargeFrameModule() {
    }

    /** The module's text. */
    static String text(int locals) {
        StringBuilder wat = new StringBuilder("(module (func $big (export \"big\") (param $n i32) (result i64)");
        for (int k = 0; k < locals; k++) wat.append(" (local $l").append(k).append(" i64)");
        wat.append("\n  local.get $n i32.eqz if i64.const 0 return end\n");
        for (int k = 0; k < locals; k++) {
            wat.append("  local.get $n i64.extend_i32_s i64.const ").append(k).append(" i64.add local.set $l")
                    .append(k).append('\n');
        }
        wat.append("  local.get $n i32.const 1 i32.sub call $big\n");
        for (int k = 0; k < locals; k++) wat.append("  local.get $l").append(k).append(" i64.add\n");
        return wat.append("))\n").toString();
    }

    /** What {@code big(n)} returns for {@code n >= 0}: the sum over depths d = 1..n of (K * d + K(K-1)/2). */
    static long expected(int locals, int n) {
        long k = locals;
        return k * n * (n + 1) / 2 + n * (k * (k - 1) / 2);
    }
}
