package dev.isthmus.wasi;

import static dev.isthmus.wasi.WasiCall.i32;
import static dev.isthmus.wasi.WasiCall.i64;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code path_*} calls: every guest path goes through {@link PathResolver} (the sandbox), relative to a
 * directory descriptor holding the needed right; the host operation then acts on a path whose directories contain
 * no symlink, with no-follow semantics on the last component unless the guest asked to follow.
 */
final class PathCalls {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final FdTable fds;

    private PathCalls(FdTable fds) {
        this.fds = fds;
    }

    static void register(WasiFunctions f, FdTable fds) {
        PathCalls c = new PathCalls(fds);
        f.define("path_create_directory", "iii", (m, a) -> c.createDirectory(m, i32(a, 0), i32(a, 1), i32(a, 2)));
        f.define("path_filestat_get", "iiiii",
                (m, a) -> c.filestat(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3), i32(a, 4)));
        f.define("path_filestat_set_times", "iiiiIIi", (m, a) -> c.setTimes(m, i32(a, 0), i32(a, 1), i32(a, 2),
                i32(a, 3), i64(a, 4), i64(a, 5), i32(a, 6)));
        f.define("path_link", "iiiiiii", (m, a) -> c.link(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3), i32(a, 4),
                i32(a, 5), i32(a, 6)));
        f.define("path_open", "iiiiiIIii", (m, a) -> c.open(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3),
                i32(a, 4), i64(a, 5), i64(a, 6), i32(a, 7), i32(a, 8)));
        f.define("path_readlink", "iiiiii",
                (m, a) -> c.readlink(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3), i32(a, 4), i32(a, 5)));
        f.define("path_remove_directory", "iii", (m, a) -> c.removeDirectory(m, i32(a, 0), i32(a, 1), i32(a, 2)));
        f.define("path_rename", "iiiiii",
                (m, a) -> c.rename(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3), i32(a, 4), i32(a, 5)));
        f.define("path_symlink", "iiiii",
                (m, a) -> c.symlink(m, i32(a, 0), i32(a, 1), i32(a, 2), i32(a, 3), i32(a, 4)));
        f.define("path_unlink_file", "iii", (m, a) -> c.unlink(m, i32(a, 0), i32(a, 1), i32(a, 2)));
    }

    /** The directory {@code fd} holding {@code right}, and {@code path} resolved in it. */
    private PathResolver.Resolved resolve(GuestMemory m, int fd, long right, int path, int length, boolean follow) {
        DirectoryDescriptor dir = fds.directory(fd);
        String guestPath = m.string(path, length);
        dir.require(right);
        return PathResolver.resolve(dir.location, guestPath, follow);
    }

    private static boolean exists(Path p) {
        return Files.exists(p, NOFOLLOW);
    }

    private static boolean isDirectory(Path p) {
        return Files.isDirectory(p, NOFOLLOW);
    }

    private int createDirectory(GuestMemory m, int fd, int path, int length) throws IOException {
        PathResolver.Resolved r = resolve(m, fd, Rights.PATH_CREATE_DIRECTORY, path, length, false);
        if (r.path().isRoot()) return Errno.EXIST;
        Files.createDirectory(r.host());
        return Errno.SUCCESS;
    }

    private int filestat(GuestMemory m, int fd, int flags, int path, int length, int address) {
        boolean follow = (flags & WasiFlags.LOOKUP_SYMLINK_FOLLOW) != 0;
        PathResolver.Resolved r = resolve(m, fd, Rights.PATH_FILESTAT_GET, path, length, follow);
        checkTrailingSlash(r);
        FileStats.write(m, address, r.host(), false);
        return Errno.SUCCESS;
    }

    private int setTimes(GuestMemory m, int fd, int flags, int path, int length, long atim, long mtim, int fst) {
        boolean follow = (flags & WasiFlags.LOOKUP_SYMLINK_FOLLOW) != 0;
        PathResolver.Resolved r = resolve(m, fd, Rights.PATH_FILESTAT_SET_TIMES, path, length, follow);
        checkTrailingSlash(r);
        FileStats.setTimes(r.host(), atim, mtim, fst, false);
        return Errno.SUCCESS;
    }

    /** A path written with a trailing slash must name a directory. */
    private static void checkTrailingSlash(PathResolver.Resolved r) {
        if (r.trailingSlash() && exists(r.host()) && !isDirectory(r.host())) {
            throw new WasiErrnoException(Errno.NOTDIR);
        }
    }

    private int link(GuestMemory m, int oldFd, int oldFlags, int oldPath, int oldLength, int newFd, int newPath,
            int newLength) throws IOException {
        boolean follow = (oldFlags & WasiFlags.LOOKUP_SYMLINK_FOLLOW) != 0;
        PathResolver.Resolved source = resolve(m, oldFd, Rights.PATH_LINK_SOURCE, oldPath, oldLength, follow);
        PathResolver.Resolved target = resolve(m, newFd, Rights.PATH_LINK_TARGET, newPath, newLength, false);
        Path from = source.host();
        Path to = target.host();
        if (!exists(from)) return Errno.NOENT;
        if (isDirectory(from)) return Errno.PERM;
        if (source.trailingSlash()) return Errno.NOTDIR;
        if (exists(to)) return Errno.EXIST;
        if (target.trailingSlash()) return Errno.NOENT;
        Files.createLink(to, from);
        return Errno.SUCCESS;
    }

    private int open(GuestMemory m, int fd, int dirflags, int path, int length, int oflags, long base,
            long inheriting, int fdflags, int resultPtr) throws IOException {
        DirectoryDescriptor dir = fds.directory(fd);
        boolean creat = (oflags & WasiFlags.OFLAGS_CREAT) != 0;
        boolean directory = (oflags & WasiFlags.OFLAGS_DIRECTORY) != 0;
        boolean excl = (oflags & WasiFlags.OFLAGS_EXCL) != 0;
        boolean trunc = (oflags & WasiFlags.OFLAGS_TRUNC) != 0;
        if ((oflags & ~0xF) != 0 || (fdflags & ~0x1F) != 0) return Errno.INVAL;
        long needed = Rights.PATH_OPEN | (creat ? Rights.PATH_CREATE_FILE : 0)
                | (trunc ? Rights.PATH_FILESTAT_SET_SIZE : 0);
        boolean follow = (dirflags & WasiFlags.LOOKUP_SYMLINK_FOLLOW) != 0;
        PathResolver.Resolved r = resolve(m, fd, needed, path, length, follow);
        m.check(resultPtr, 4);
        Path host = r.host();
        boolean exists = exists(host);
        if (creat && excl && exists) return Errno.EXIST;
        if (exists && Files.isSymbolicLink(host)) return Errno.LOOP; // only when not following: like O_NOFOLLOW
        long childBase = base & dir.rightsInheriting;
        long childInheriting = inheriting & dir.rightsInheriting;
        if (exists && isDirectory(host)) {
            if (trunc || (creat && !directory) || (base & Rights.FD_WRITE) != 0) return Errno.ISDIR;
            DirectoryDescriptor opened = new DirectoryDescriptor(r.path(), null, childBase & Rights.DIRECTORY,
                    childInheriting);
            opened.fdflags = fdflags;
            m.setI32(resultPtr, fds.add(opened));
            return Errno.SUCCESS;
        }
        if (directory) return exists ? Errno.NOTDIR : Errno.NOENT;
        if (r.trailingSlash()) return exists ? Errno.NOTDIR : creat ? Errno.ISDIR : Errno.NOENT;
        if (!exists && !creat) return Errno.NOENT;
        if (r.path().isRoot()) return Errno.ISDIR;
        boolean write = (base & (Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE)) != 0;
        boolean read = (base & (Rights.FD_READ | Rights.FD_READDIR)) != 0 || !write;
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (read) options.add(StandardOpenOption.READ);
        // java.nio ignores CREATE and TRUNCATE_EXISTING without WRITE: the channel may write, the guest may not
        if (write || trunc || (creat && !exists)) options.add(StandardOpenOption.WRITE);
        if (creat) options.add(excl ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        if (trunc) options.add(StandardOpenOption.TRUNCATE_EXISTING);
        if ((fdflags & WasiFlags.FDFLAGS_DSYNC) != 0) options.add(StandardOpenOption.DSYNC);
        if ((fdflags & WasiFlags.FDFLAGS_SYNC) != 0) options.add(StandardOpenOption.SYNC);
        if (!exists && creat && !Files.isDirectory(host.getParent(), NOFOLLOW)) return Errno.NOENT;
        FileChannel channel = FileChannel.open(host, options);
        long[] identity = FileStats.identity(host);
        long fileRights = childBase & ~(Rights.DIRECTORY & ~Rights.REGULAR_FILE); // directory-only rights: none
        FileDescriptor opened = new FileDescriptor(channel, host, read, write, fileRights, childInheriting,
                fdflags, identity[0], identity[1]);
        m.setI32(resultPtr, fds.add(opened));
        return Errno.SUCCESS;
    }

    private int readlink(GuestMemory m, int fd, int path, int length, int buf, int bufLength, int resultPtr)
            throws IOException {
        PathResolver.Resolved r = resolve(m, fd, Rights.PATH_READLINK, path, length, false);
        Path host = r.host();
        if (!exists(host)) return Errno.NOENT;
        if (!Files.isSymbolicLink(host)) return Errno.INVAL;
        if (r.trailingSlash()) return Errno.NOTDIR;
        byte[] target = Files.readSymbolicLink(host).toString().getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(target.length, Integer.toUnsignedLong(bufLength));
        m.check(buf, Integer.toUnsignedLong(bufLength));
        m.check(resultPtr, 4);
        m.write(buf, target, 0, n);
        m.setI32(resultPtr, n);
        return Errno.SUCCESS;
    }

    private int removeDirectory(GuestMemory m, int fd, int path, int length) throws IOException {
        PathResolver.Resolved r = resolve(m, fd, Rights.PATH_REMOVE_DIRECTORY, path, length, false);
        Path host = r.host();
        if (!exists(host)) return Errno.NOENT;
        if (!isDirectory(host)) return Errno.NOTDIR;
        if (r.path().isRoot()) return Errno.BUSY;
        Files.delete(host);
        return Errno.SUCCESS;
    }

    private int rename(GuestMemory m, int oldFd, int oldPath, int oldLength, int newFd, int newPath, int newLength)
            throws IOException {
        PathResolver.Resolved source = resolve(m, oldFd, Rights.PATH_RENAME_SOURCE, oldPath, oldLength, false);
        PathResolver.Resolved target = resolve(m, newFd, Rights.PATH_RENAME_TARGET, newPath, newLength, false);
        Path from = source.host();
        Path to = target.host();
        if (!exists(from)) return Errno.NOENT;
        if (source.path().isRoot() || target.path().isRoot()) return Errno.BUSY;
        boolean fromDir = isDirectory(from);
        if (!fromDir && (source.trailingSlash() || target.trailingSlash())) return Errno.NOTDIR;
        if (exists(to)) {
            boolean toDir = isDirectory(to);
            if (fromDir && !toDir) return Errno.NOTDIR;
            if (!fromDir && toDir) return Errno.ISDIR;
        }
        if (from.equals(to)) return Errno.SUCCESS;
        if (fromDir && to.startsWith(from)) return Errno.INVAL;
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        return Errno.SUCCESS;
    }

    private int symlink(GuestMemory m, int oldPath, int oldLength, int fd, int newPath, int newLength)
            throws IOException {
        String target = m.string(oldPath, oldLength);
        PathResolver.Resolved link = resolve(m, fd, Rights.PATH_SYMLINK, newPath, newLength, false);
        Path host = link.host();
        if (exists(host)) return Errno.EXIST;
        if (link.trailingSlash()) return Errno.NOENT;
        if (target.isEmpty()) return Errno.NOENT;
        // never followed by the sandbox anyway; refused so other host programs are not led outside (as cap-std)
        if (target.startsWith("/")) return Errno.PERM;
        Files.createSymbolicLink(host, Path.of(target));
        return Errno.SUCCESS;
    }

    private int unlink(GuestMemory m, int fd, int path, int length) throws IOException {
        PathResolver.Resolved r = resolve(m, fd, Rights.PATH_UNLINK_FILE, path, length, false);
        Path host = r.host();
        if (!exists(host)) return Errno.NOENT;
        if (isDirectory(host)) return Errno.ISDIR;
        if (r.trailingSlash()) return Errno.NOTDIR;
        Files.delete(host);
        return Errno.SUCCESS;
    }
}
