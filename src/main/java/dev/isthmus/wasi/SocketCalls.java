package dev.isthmus.wasi;

import static dev.isthmus.wasi.WasiCall.i32;

/**
 * {@code sock_accept}, {@code sock_recv}, {@code sock_send}, {@code sock_shutdown}. The host preopens no sockets,
 * so every descriptor a guest can name is not a socket: EBADF for a closed number, ENOTSOCK otherwise (pointers are
 * still checked: EFAULT first).
 */
final class SocketCalls {
    private SocketCalls() {
    }

    static void register(WasiFunctions f, FdTable fds) {
        f.define("sock_accept", "iii", (m, a) -> notSocket(fds, i32(a, 0)));
        f.define("sock_recv", "iiiiii", (m, a) -> notSocket(fds, i32(a, 0)));
        f.define("sock_send", "iiiii", (m, a) -> notSocket(fds, i32(a, 0)));
        f.define("sock_shutdown", "ii", (m, a) -> notSocket(fds, i32(a, 0)));
    }

    private static int notSocket(FdTable fds, int fd) {
        fds.get(fd);
        return Errno.NOTSOCK;
    }
}
