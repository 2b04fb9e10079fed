package dev.isthmus.wasi;

import java.io.IOException;

/**
 * One entry of the guest's descriptor table: a standard stream, an open file or an open directory, with its
 * preview1 rights (base: what it may do; inheriting: what descriptors opened through it may do) and fd flags.
 */
abstract sealed class Descriptor permits StreamDescriptor, FileDescriptor, DirectoryDescriptor {
    long rightsBase;
    long rightsInheriting;
    int fdflags;

    Descriptor(long rightsBase, long rightsInheriting, int fdflags) {
        this.rightsBase = rightsBase;
        this.rightsInheriting = rightsInheriting;
        this.fdflags = fdflags;
    }

    /** The preview1 filetype reported by {@code fd_fdstat_get}. */
    abstract int filetype();

    /** Fails with ENOTCAPABLE unless every bit of {@code rights} is held. */
    void require(long rights) {
        if ((rightsBase & rights) != rights) throw new WasiErrnoException(Errno.NOTCAPABLE);
    }

    abstract void close() throws IOException;
}
