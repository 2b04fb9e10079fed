package dev.isthmus.wasi;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** The guest's descriptor numbers: lowest free number on open, renumber, close. */
final class FdTable {
    private final Map<Integer, Descriptor> entries = new TreeMap<>();

    /** The descriptor {@code fd}, or EBADF. */
    Descriptor get(int fd) {
        Descriptor d = entries.get(fd);
        if (d == null) throw new WasiErrnoException(Errno.BADF);
        return d;
    }

    /** The descriptor {@code fd} if it is a directory: EBADF if none, ENOTDIR if another kind. */
    DirectoryDescriptor directory(int fd) {
        if (get(fd) instanceof DirectoryDescriptor dir) return dir;
        throw new WasiErrnoException(Errno.NOTDIR);
    }

    int add(Descriptor descriptor) {
        int fd = 0;
        while (entries.containsKey(fd)) fd++;
        entries.put(fd, descriptor);
        return fd;
    }

    void put(int fd, Descriptor descriptor) {
        entries.put(fd, descriptor);
    }

    void close(int fd) throws IOException {
        get(fd).close();
        entries.remove(fd);
    }

    /** Moves {@code from} onto {@code to} (closing what {@code to} held). */
    void renumber(int from, int to) throws IOException {
        Descriptor d = get(from);
        Descriptor old = get(to);
        if (from == to) return;
        old.close();
        entries.put(to, d);
        entries.remove(from);
    }

    /** Closes everything (flushes the standard streams). */
    void closeAll() {
        for (Descriptor d : entries.values()) {
            try {
                d.close();
            } catch (IOException ignored) {
                // the program is over; nothing to report to
            }
        }
        entries.clear();
    }
}
