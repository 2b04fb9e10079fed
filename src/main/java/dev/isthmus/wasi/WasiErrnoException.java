package dev.isthmus.wasi;

/** Internal: a WASI call failing with {@code errno}; caught at the host function boundary and returned. */
final class WasiErrnoException extends RuntimeException {
    final int errno;

    WasiErrnoException(int errno) {
        super("errno " + errno, null, false, false);
        this.errno = errno;
    }
}
