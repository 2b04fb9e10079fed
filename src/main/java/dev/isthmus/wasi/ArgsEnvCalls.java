package dev.isthmus.wasi;

import static dev.isthmus.wasi.WasiCall.i32;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code args_get}, {@code args_sizes_get}, {@code environ_get}, {@code environ_sizes_get}: NUL-terminated UTF-8
 * strings packed in a guest buffer, with a guest array of pointers to them.
 */
final class ArgsEnvCalls {
    private ArgsEnvCalls() {
    }

    static void register(WasiFunctions f, WasiOptions options) {
        byte[][] args = encode(options.args());
        byte[][] env = encode(options.env());
        f.define("args_sizes_get", "ii", (m, a) -> sizes(m, args, i32(a, 0), i32(a, 1)));
        f.define("args_get", "ii", (m, a) -> strings(m, args, i32(a, 0), i32(a, 1)));
        f.define("environ_sizes_get", "ii", (m, a) -> sizes(m, env, i32(a, 0), i32(a, 1)));
        f.define("environ_get", "ii", (m, a) -> strings(m, env, i32(a, 0), i32(a, 1)));
    }

    private static byte[][] encode(List<String> strings) {
        byte[][] out = new byte[strings.size()][];
        for (int i = 0; i < out.length; i++) {
            byte[] s = strings.get(i).getBytes(StandardCharsets.UTF_8);
            out[i] = Arrays.copyOf(s, s.length + 1);
        }
        return out;
    }

    private static int sizes(GuestMemory m, byte[][] strings, int countPtr, int bufSizePtr) {
        int total = 0;
        for (byte[] s : strings) total += s.length;
        m.setI32(countPtr, strings.length);
        m.setI32(bufSizePtr, total);
        return Errno.SUCCESS;
    }

    private static int strings(GuestMemory m, byte[][] strings, int pointers, int buffer) {
        int at = buffer;
        for (int i = 0; i < strings.length; i++) {
            m.setI32(pointers + 4 * i, at);
            m.write(at, strings[i]);
            at += strings[i].length;
        }
        return Errno.SUCCESS;
    }
}
