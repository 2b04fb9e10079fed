package dev.isthmus.wasi;

import static dev.isthmus.wasi.WasiCall.i32;

import java.security.SecureRandom;

/** {@code clock_res_get}, {@code clock_time_get}, {@code random_get}. */
final class ClockRandomCalls {
    private ClockRandomCalls() {
    }

    /** Seeded on first use (start-up stays off the critical path for programs that never ask). */
    private static final class RandomHolder {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    static void register(WasiFunctions f) {
        f.define("clock_res_get", "ii", (m, a) -> {
            m.setI64(i32(a, 1), Clocks.resolution(i32(a, 0)));
            return Errno.SUCCESS;
        });
        f.define("clock_time_get", "iIi", (m, a) -> {
            m.setI64(i32(a, 2), Clocks.now(i32(a, 0)));
            return Errno.SUCCESS;
        });
        f.define("random_get", "ii", (m, a) -> {
            int address = i32(a, 0);
            int length = i32(a, 1);
            m.check(address, Integer.toUnsignedLong(length));
            long total = Integer.toUnsignedLong(length);
            byte[] chunk = new byte[(int) Math.min(total, 1 << 16)];
            long done = 0;
            while (done < total) {
                int n = (int) Math.min(chunk.length, total - done);
                RandomHolder.RANDOM.nextBytes(chunk);
                m.write((int) (address + done), chunk, 0, n);
                done += n;
            }
            return Errno.SUCCESS;
        });
    }
}
