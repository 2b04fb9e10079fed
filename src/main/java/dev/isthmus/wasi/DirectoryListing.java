package dev.isthmus.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fd_readdir}: entries "." and "..", then the directory's children sorted by name; the cookie of an entry is
 * its index + 1 (the cookie to resume after it). Each entry is a 24-byte dirent followed by its name; the last one
 * is cut when the buffer is full (the guest sees bufused == buf_len and asks again with a bigger buffer).
 *
 * <pre>
 *   dirent: 0 d_next u64 | 8 d_ino u64 | 16 d_namlen u32 | 20 d_type u8 (+3 pad) | 24 name bytes...
 * </pre>
 */
final class DirectoryListing {
    private static final int DIRENT_SIZE = 24;

    private DirectoryListing() {
    }

    static int readdir(GuestMemory m, Descriptor d, int buf, int bufLen, long cookie, int bufUsedPtr)
            throws IOException {
        if (!(d instanceof DirectoryDescriptor dir)) return Errno.NOTDIR;
        dir.require(Rights.FD_READDIR);
        long capacity = Integer.toUnsignedLong(bufLen);
        m.check(buf, capacity);
        List<Entry> entries = list(dir.location.host());
        long used = 0;
        for (long index = Math.max(cookie, 0); index < entries.size() && used < capacity; index++) {
            Entry e = entries.get((int) index);
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            byte[] record = new byte[DIRENT_SIZE + name.length];
            ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, index + 1).putLong(8, e.inode).putInt(16, name.length).put(20, (byte) e.type);
            System.arraycopy(name, 0, record, DIRENT_SIZE, name.length);
            int n = (int) Math.min(record.length, capacity - used);
            m.write((int) (buf + used), record, 0, n);
            used += n;
        }
        m.setI32(bufUsedPtr, (int) used);
        return Errno.SUCCESS;
    }

    private record Entry(String name, long inode, int type) {
    }

    private static List<Entry> list(Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry(".", inode(dir), WasiFlags.FILETYPE_DIRECTORY));
        out.add(new Entry("..", 0, WasiFlags.FILETYPE_DIRECTORY));
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) children.add(p);
        }
        children.sort(null);
        for (Path p : children) {
            int type;
            long inode;
            try {
                type = FileStats.filetype(p);
                inode = inode(p);
            } catch (WasiErrnoException e) {
                continue; // removed meanwhile
            }
            out.add(new Entry(p.getFileName().toString(), inode, type));
        }
        return out;
    }

    private static long inode(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException e) {
            return 0;
        }
    }
}
