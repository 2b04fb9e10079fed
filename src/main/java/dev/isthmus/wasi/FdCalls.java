package dev.isthmus.wasi;

import static dev.isthmus.wasi.WasiCall.i32;
import static dev.isthmus.wasi.WasiCall.i64;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The {@code fd_*} calls on any descriptor: stdio streams, files, directories. Reading and writing use
 * scatter/gather buffers straight over guest memory (no copies for files). Directory listing is in
 * {@link DirectoryListing}; path operations in {@link PathCalls}.
 */
final class FdCalls {
    private final FdTable fds;

    private FdCalls(FdTable fds) {
        this.fds = fds;
    }

    static void register(WasiFunctions f, FdTable fds) {
        FdCalls c = new FdCalls(fds);
        f.define("fd_advise", "iIIi", (m, a) -> c.advise(i32(a, 0), i32(a, 3)));
        f.define("fd_allocate", "iII", (m, a) -> c.allocate(i32(a, 0), i64(a, 1), i64(a, 2)));
        f.define("fd_close", "i", (m, a) -> {
            fds.close(i32(a, 0));
            return Errno.SUCCESS;
        });
        f.define("fd_datasync", "i", (m, a) -> c.sync(i32(a, 0), Rights.FD_DATASYNC));
        f.define("fd_sync", "i", (m, a) -> c.sync(i32(a, 0), Rights.FD_SYNC));
        f.define("fd_fdstat_get", "ii", (m, a) -> c.fdstat(m, i32(a, 0), i32(a, 1)));
        f.define("fd_fdstat_set_flags", "ii", (m, a) -> c.setFlags(i32(a, 0), i32(a, 1)));
        f.define("fd_fdstat_set_rights", "iII", (m, a) -> c.setRights(i32(a, 0), i64(a, 1), i64(a, 2)));
        f.define("fd_filestat_get", "ii", (m, a) -> c.filestat(m, i32(a, 0), i32(a, 1)));
        f.define("fd_filestat_set_size", "iI", (m, a) -> c.setSize(i32(a, 0), i64(a, 1)));
        f.define("fd_filestat_set_times", "iIIi",
                (m, a) -> c.setTimes(i32(a, 0), i64(a, 1), i64(a, 2), i32(a, 3)));
        f.define("fd_pread", "iiiIi", (m, a) -> c.pread(m, i32(a, 0), i32(a, 1), i32(a, 2), i64(a, 3), i32(a, 4)));
        f.define("fd_pwrite", "iiiIi",
                (m, a) -> c.pwrite(m, i32(a, 0), i32(a, 1), i32(a, 2), i64(a, 3), i32(a, 4)));
        f.define("fd_read", "iiii", (m, a) -> c.read(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3)));
        f.define("fd_write", "iiii", (m, a) -> c.write(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3)));
        f.define("fd_readdir", "iiiIi",
                (m, a) -> DirectoryListing.readdir(m, fds.get(i32(a, 0)), i32(a, 1), i32(a, 2), i64(a, 3),
                        i32(a, 4)));
        f.define("fd_renumber", "ii", (m, a) -> {
            fds.renumber(i32(a, 0), i32(a, 1));
            return Errno.SUCCESS;
        });
        f.define("fd_seek", "iIii", (m, a) -> c.seek(m, i32(a, 0), i64(a, 1), i32(a, 2), i32(a, 3)));
        f.define("fd_tell", "ii", (m, a) -> c.seek(m, i32(a, 0), 0, WasiFlags.WHENCE_CUR, i32(a, 1)));
        f.define("fd_prestat_get", "ii", (m, a) -> c.prestat(m, i32(a, 0), i32(a, 1)));
        f.define("fd_prestat_dir_name", "iii", (m, a) -> c.prestatName(m, i32(a, 0), i32(a, 1), i32(a, 2)));
    }

    /** The descriptor as an open file: EISDIR for a directory, ESPIPE for a stream. */
    private FileDescriptor file(Descriptor d) {
        if (d instanceof FileDescriptor file) return file;
        if (d instanceof DirectoryDescriptor) throw new WasiErrnoException(Errno.ISDIR);
        throw new WasiErrnoException(Errno.SPIPE);
    }

    private int advise(int fd, int advice) {
        Descriptor d = fds.get(fd);
        if (advice < 0 || advice > 5) return Errno.INVAL;
        d.require(Rights.FD_ADVISE);
        if (d instanceof DirectoryDescriptor) return Errno.BADF;
        if (d instanceof StreamDescriptor) return Errno.SPIPE;
        return Errno.SUCCESS;
    }

    private int allocate(int fd, long offset, long length) throws IOException {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_ALLOCATE);
        if (d instanceof DirectoryDescriptor) return Errno.BADF;
        FileDescriptor file = file(d);
        if (offset < 0 || length <= 0) return Errno.INVAL;
        if (!file.writable) return Errno.BADF;
        long end = offset + length;
        if (end < 0) return Errno.FBIG;
        if (end > file.channel.size()) file.channel.write(ByteBuffer.allocate(1), end - 1);
        return Errno.SUCCESS;
    }

    private int sync(int fd, long right) throws IOException {
        Descriptor d = fds.get(fd);
        d.require(right);
        if (d instanceof FileDescriptor file && file.writable) file.channel.force(right == Rights.FD_SYNC);
        return Errno.SUCCESS;
    }

    /** fdstat (24 bytes): 0 filetype u8 | 2 flags u16 | 8 rights_base u64 | 16 rights_inheriting u64. */
    private int fdstat(GuestMemory m, int fd, int address) {
        Descriptor d = fds.get(fd);
        m.check(address, 24);
        m.zero(address, 24);
        m.setU8(address, d.filetype());
        m.setU16(address + 2, d.fdflags);
        m.setI64(address + 8, d.rightsBase);
        m.setI64(address + 16, d.rightsInheriting);
        return Errno.SUCCESS;
    }

    private int setFlags(int fd, int flags) {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_FDSTAT_SET_FLAGS);
        if ((flags & ~0x1F) != 0) return Errno.INVAL;
        d.fdflags = flags;
        return Errno.SUCCESS;
    }

    private int setRights(int fd, long base, long inheriting) {
        Descriptor d = fds.get(fd);
        if ((base & ~d.rightsBase) != 0 || (inheriting & ~d.rightsInheriting) != 0) return Errno.NOTCAPABLE;
        d.rightsBase = base;
        d.rightsInheriting = inheriting;
        return Errno.SUCCESS;
    }

    private int filestat(GuestMemory m, int fd, int address) {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_FILESTAT_GET);
        switch (d) {
            case FileDescriptor file -> FileStats.writeOpenFile(m, address, file);
            case DirectoryDescriptor dir -> FileStats.write(m, address, dir.location.host(), false);
            case StreamDescriptor s -> FileStats.writeCharacterDevice(m, address);
        }
        return Errno.SUCCESS;
    }

    private int setSize(int fd, long size) throws IOException {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_FILESTAT_SET_SIZE);
        if (d instanceof DirectoryDescriptor) return Errno.BADF;
        FileDescriptor file = file(d);
        if (size < 0) return Errno.INVAL;
        if (!file.writable) return Errno.INVAL;
        long current = file.channel.size();
        if (size < current) {
            file.channel.truncate(size);
        } else if (size > current) {
            file.channel.write(ByteBuffer.allocate(1), size - 1);
        }
        return Errno.SUCCESS;
    }

    private int setTimes(int fd, long atim, long mtim, int flags) {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_FILESTAT_SET_TIMES);
        switch (d) {
            case FileDescriptor file -> {
                long[] now = FileStats.identity(file.path);
                if (now[0] != file.device || now[1] != file.inode) return Errno.NOTSUP; // path names another file
                FileStats.setTimes(file.path, atim, mtim, flags, false);
            }
            case DirectoryDescriptor dir -> FileStats.setTimes(dir.location.host(), atim, mtim, flags, false);
            case StreamDescriptor s -> FileStats.setTimes(null, atim, mtim, flags, false);
        }
        return Errno.SUCCESS;
    }

    private int pread(GuestMemory m, int fd, int iovs, int count, long offset, int resultPtr) throws IOException {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_READ | Rights.FD_SEEK);
        FileDescriptor file = file(d);
        if (offset < 0) return Errno.INVAL;
        if (!file.readable) return Errno.BADF;
        long total = 0;
        for (ByteBuffer b : m.iovecs(iovs, count)) {
            while (b.hasRemaining()) {
                int n = file.channel.read(b, offset + total);
                if (n <= 0) break;
                total += n;
            }
            if (b.hasRemaining()) break;
        }
        m.setI32(resultPtr, (int) total);
        return Errno.SUCCESS;
    }

    private int pwrite(GuestMemory m, int fd, int iovs, int count, long offset, int resultPtr) throws IOException {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_WRITE | Rights.FD_SEEK);
        FileDescriptor file = file(d);
        if (offset < 0) return Errno.INVAL;
        if (!file.writable) return Errno.BADF;
        long total = 0;
        for (ByteBuffer b : m.iovecs(iovs, count)) {
            while (b.hasRemaining()) total += file.channel.write(b, offset + total);
        }
        m.setI32(resultPtr, (int) total);
        return Errno.SUCCESS;
    }

    private int read(GuestMemory m, int fd, int iovs, int count, int resultPtr) throws IOException {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_READ);
        ByteBuffer[] buffers = m.iovecs(iovs, count);
        long total = 0;
        switch (d) {
            case FileDescriptor file -> {
                if (!file.readable) return Errno.BADF;
                long n = file.channel.read(buffers);
                total = Math.max(n, 0);
            }
            case StreamDescriptor s -> {
                if (s.in == null) return Errno.BADF;
                for (ByteBuffer b : buffers) {
                    if (!b.hasRemaining()) continue;
                    byte[] chunk = new byte[b.remaining()];
                    int n = s.in.read(chunk);
                    if (n <= 0) break;
                    b.put(chunk, 0, n);
                    total += n;
                    if (b.hasRemaining() || s.in.available() <= 0) break;
                }
            }
            case DirectoryDescriptor dir -> {
                return Errno.ISDIR;
            }
        }
        m.setI32(resultPtr, (int) total);
        return Errno.SUCCESS;
    }

    private int write(GuestMemory m, int fd, int iovs, int count, int resultPtr) throws IOException {
        Descriptor d = fds.get(fd);
        d.require(Rights.FD_WRITE);
        ByteBuffer[] buffers = m.iovecs(iovs, count);
        long total = 0;
        switch (d) {
            case FileDescriptor file -> {
                if (!file.writable) return Errno.BADF;
                if ((file.fdflags & WasiFlags.FDFLAGS_APPEND) != 0) file.channel.position(file.channel.size());
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) total += file.channel.write(b);
                }
            }
            case StreamDescriptor s -> {
                if (s.out == null) return Errno.BADF;
                for (ByteBuffer b : buffers) {
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    s.out.write(chunk);
                    total += chunk.length;
                }
                s.out.flush();
            }
            case DirectoryDescriptor dir -> {
                return Errno.BADF;
            }
        }
        m.setI32(resultPtr, (int) total);
        return Errno.SUCCESS;
    }

    private int seek(GuestMemory m, int fd, long offset, int whence, int resultPtr) throws IOException {
        Descriptor d = fds.get(fd);
        if (d instanceof StreamDescriptor) return Errno.SPIPE;
        d.require(offset == 0 && whence == WasiFlags.WHENCE_CUR ? Rights.FD_TELL : Rights.FD_SEEK);
        if (d instanceof DirectoryDescriptor) return Errno.BADF;
        FileDescriptor file = file(d);
        long base = switch (whence) {
            case WasiFlags.WHENCE_SET -> 0;
            case WasiFlags.WHENCE_CUR -> file.channel.position();
            case WasiFlags.WHENCE_END -> file.channel.size();
            default -> throw new WasiErrnoException(Errno.INVAL);
        };
        long target = base + offset;
        if (target < 0) return Errno.INVAL;
        m.check(resultPtr, 8);
        file.channel.position(target);
        m.setI64(resultPtr, target);
        return Errno.SUCCESS;
    }

    /** prestat (8 bytes): 0 tag u8 (0 = dir) | 4 name length u32. */
    private int prestat(GuestMemory m, int fd, int address) {
        if (!(fds.get(fd) instanceof DirectoryDescriptor dir) || dir.preopenName == null) return Errno.BADF;
        m.check(address, 8);
        m.zero(address, 8);
        m.setI32(address + 4, dir.preopenName.getBytes(StandardCharsets.UTF_8).length);
        return Errno.SUCCESS;
    }

    private int prestatName(GuestMemory m, int fd, int address, int length) {
        if (!(fds.get(fd) instanceof DirectoryDescriptor dir) || dir.preopenName == null) return Errno.BADF;
        byte[] name = dir.preopenName.getBytes(StandardCharsets.UTF_8);
        if (Integer.toUnsignedLong(length) < name.length) return Errno.NAMETOOLONG;
        m.write(address, name);
        return Errno.SUCCESS;
    }
}
