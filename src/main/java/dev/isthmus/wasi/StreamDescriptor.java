package dev.isthmus.wasi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A standard stream (fd 0, 1, 2): a character device backed by a Java input or output stream. */
final class StreamDescriptor extends Descriptor {
    final InputStream in;
    final OutputStream out;

    StreamDescriptor(InputStream in, OutputStream out) {
        super(in != null ? Rights.STDIO & ~Rights.FD_WRITE : Rights.STDIO & ~Rights.FD_READ, 0, 0);
        this.in = in;
        this.out = out;
    }

    @Override
    int filetype() {
        return WasiFlags.FILETYPE_CHARACTER_DEVICE;
    }

    @Override
    void close() throws IOException {
        if (out != null) out.flush();
    }
}
