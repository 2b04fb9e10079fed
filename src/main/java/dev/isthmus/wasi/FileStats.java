package dev.isthmus.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code filestat} (64 bytes) from the host's "unix" attributes, and setting times.
 *
 * <pre>
 *   0 dev u64 | 8 ino u64 | 16 filetype u8 (+7 pad) | 24 nlink u64 | 32 size u64 | 40 atim | 48 mtim | 56 ctim
 * </pre>
 */
final class FileStats {
    static final int SIZE = 64;

    private FileStats() {
    }

    static void write(GuestMemory memory, int address, Path path, boolean follow) {
        memory.check(address, SIZE);
        Map<String, Object> a;
        try {
            a = follow ? Files.readAttributes(path, "unix:*")
                    : Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new WasiErrnoException(IoErrors.errno(e));
        }
        memory.zero(address, SIZE);
        memory.setI64(address, ((Number) a.get("dev")).longValue());
        memory.setI64(address + 8, ((Number) a.get("ino")).longValue());
        memory.setU8(address + 16, filetype((Integer) a.get("mode")));
        memory.setI64(address + 24, ((Number) a.get("nlink")).longValue());
        memory.setI64(address + 32, ((Number) a.get("size")).longValue());
        memory.setI64(address + 40, nanos((FileTime) a.get("lastAccessTime")));
        memory.setI64(address + 48, nanos((FileTime) a.get("lastModifiedTime")));
        memory.setI64(address + 56, nanos((FileTime) a.get("ctime")));
    }

    /** {device, inode} of a host path (no-follow); zeros when it cannot be read. */
    static long[] identity(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            return new long[] {((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * The filestat of an open file: from its path while the path still names the same file (device and inode as
     * at open), with the size from the channel; otherwise (renamed away, unlinked) what the channel knows: the
     * identity recorded at open, no links, the current size, times unknown (0).
     */
    static void writeOpenFile(GuestMemory memory, int address, FileDescriptor file) {
        long[] now = identity(file.path);
        long size;
        try {
            size = file.channel.size();
        } catch (IOException e) {
            throw new WasiErrnoException(IoErrors.errno(e));
        }
        if (now[0] == file.device && now[1] == file.inode && file.inode != 0) {
            write(memory, address, file.path, false);
            memory.setI64(address + 32, size);
            return;
        }
        memory.check(address, SIZE);
        memory.zero(address, SIZE);
        memory.setI64(address, file.device);
        memory.setI64(address + 8, file.inode);
        memory.setU8(address + 16, WasiFlags.FILETYPE_REGULAR_FILE);
        memory.setI64(address + 32, size);
    }

    /** A filestat for a standard stream (character device, zero times). */
    static void writeCharacterDevice(GuestMemory memory, int address) {
        memory.check(address, SIZE);
        memory.zero(address, SIZE);
        memory.setU8(address + 16, WasiFlags.FILETYPE_CHARACTER_DEVICE);
    }

    /** The preview1 filetype of a host path (no-follow). */
    static int filetype(Path path) {
        try {
            return filetype((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new WasiErrnoException(IoErrors.errno(e));
        }
    }

    static int filetype(int mode) {
        return switch (mode & 0xF000) {
            case 0x4000 -> WasiFlags.FILETYPE_DIRECTORY;
            case 0x8000 -> WasiFlags.FILETYPE_REGULAR_FILE;
            case 0xA000 -> WasiFlags.FILETYPE_SYMBOLIC_LINK;
            case 0x2000 -> WasiFlags.FILETYPE_CHARACTER_DEVICE;
            case 0x6000 -> WasiFlags.FILETYPE_BLOCK_DEVICE;
            case 0xC000 -> WasiFlags.FILETYPE_SOCKET_STREAM;
            default -> WasiFlags.FILETYPE_UNKNOWN;
        };
    }

    /** {@code *_set_times}: fstflags select which of atim/mtim to set, to a value or to now (null path: check only). */
    static void setTimes(Path path, long atim, long mtim, int fstflags, boolean follow) {
        boolean atimSet = (fstflags & WasiFlags.FST_ATIM) != 0;
        boolean atimNow = (fstflags & WasiFlags.FST_ATIM_NOW) != 0;
        boolean mtimSet = (fstflags & WasiFlags.FST_MTIM) != 0;
        boolean mtimNow = (fstflags & WasiFlags.FST_MTIM_NOW) != 0;
        if ((atimSet && atimNow) || (mtimSet && mtimNow) || (fstflags & ~0xF) != 0) {
            throw new WasiErrnoException(Errno.INVAL);
        }
        if (path == null) return; // a stream: nothing to set
        FileTime now = FileTime.from(Clocks.realtimeNanos(), TimeUnit.NANOSECONDS);
        FileTime access = atimSet ? FileTime.from(atim, TimeUnit.NANOSECONDS) : atimNow ? now : null;
        FileTime modified = mtimSet ? FileTime.from(mtim, TimeUnit.NANOSECONDS) : mtimNow ? now : null;
        BasicFileAttributeView view = follow ? Files.getFileAttributeView(path, BasicFileAttributeView.class)
                : Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            view.setTimes(modified, access, null);
        } catch (IOException e) {
            throw new WasiErrnoException(IoErrors.errno(e));
        }
    }

    private static long nanos(FileTime time) {
        return time == null ? 0 : time.to(TimeUnit.NANOSECONDS);
    }
}
