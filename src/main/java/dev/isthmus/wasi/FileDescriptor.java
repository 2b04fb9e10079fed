package dev.isthmus.wasi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An open regular file: a channel plus the host path it was opened at and the file's identity (device, inode)
 * then, so that stat can tell whether the path still names this file (java.nio has no fstat).
 */
final class FileDescriptor extends Descriptor {
    final FileChannel channel;
    final Path path;
    final boolean readable;
    final boolean writable;
    final long device;
    final long inode;

    FileDescriptor(FileChannel channel, Path path, boolean readable, boolean writable, long rightsBase,
            long rightsInheriting, int fdflags, long device, long inode) {
        super(rightsBase, rightsInheriting, fdflags);
        this.device = device;
        this.inode = inode;
        this.channel = channel;
        this.path = path;
        this.readable = readable;
        this.writable = writable;
    }

    @Override
    int filetype() {
        return WasiFlags.FILETYPE_REGULAR_FILE;
    }

    @Override
    void close() throws IOException {
        channel.close();
    }
}
