package dev.isthmus.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each preview1 function family through wasm: args/env, clocks/random, process, files, directories, poll, sockets. */
class WasiCallsTest {
    private static final int ROOT = 3;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private WasiHarness h;

    @BeforeEach
    void setUp() throws IOException {
        h = new WasiHarness(WasiOptions.builder().arg("prog").arg("héllo").env("A", "1").env("LONG", "x=y")
                .stdin(new ByteArrayInputStream("typed".getBytes(StandardCharsets.UTF_8))).stdout(stdout)
                .preopen(dir, "/sandbox").build());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void everyPreview1FunctionIsDefined() {
        assertEquals(WasiHarness.FUNCTIONS.keySet(), h.wasi.functionNames());
        assertEquals(46, h.wasi.functionNames().size());
    }

    @Test
    void argsAndEnvironment() {
        int count = h.alloc(4);
        int size = h.alloc(4);
        assertEquals(0, h.call("args_sizes_get", count, size));
        assertEquals(2, h.i32(count));
        assertEquals("prog\0héllo\0".getBytes(StandardCharsets.UTF_8).length, h.i32(size));
        int argv = h.alloc(8);
        int buf = h.alloc(h.i32(size));
        assertEquals(0, h.call("args_get", argv, buf));
        assertEquals("prog", h.text(h.i32(argv), 4));
        assertEquals("héllo", h.text(h.i32(argv + 4), 6));
        assertEquals(0, h.call("environ_sizes_get", count, size));
        assertEquals(2, h.i32(count));
        int envp = h.alloc(8);
        int envBuf = h.alloc(h.i32(size));
        assertEquals(0, h.call("environ_get", envp, envBuf));
        assertEquals("A=1\0LONG=x=y\0", h.text(envBuf, h.i32(size)));
    }

    @Test
    void clocksRandomAndProcess() {
        int t = h.alloc(8);
        assertEquals(0, h.call("clock_time_get", WasiFlags.CLOCK_REALTIME, 1L, t));
        long now = System.currentTimeMillis() * 1_000_000L;
        assertTrue(Math.abs(h.i64(t) - now) < 5_000_000_000L, "realtime near now");
        assertEquals(0, h.call("clock_time_get", WasiFlags.CLOCK_MONOTONIC, 1L, t));
        long first = h.i64(t);
        assertEquals(0, h.call("clock_time_get", WasiFlags.CLOCK_MONOTONIC, 1L, t));
        assertTrue(h.i64(t) >= first);
        assertEquals(0, h.call("clock_time_get", WasiFlags.CLOCK_PROCESS_CPUTIME, 1L, t));
        assertTrue(h.i64(t) > 0);
        assertEquals(0, h.call("clock_time_get", WasiFlags.CLOCK_THREAD_CPUTIME, 1L, t));
        assertEquals(Errno.INVAL, h.call("clock_time_get", 9, 1L, t));
        assertEquals(0, h.call("clock_res_get", WasiFlags.CLOCK_MONOTONIC, t));
        assertTrue(h.i64(t) > 0);
        int buf = h.alloc(64);
        assertEquals(0, h.call("random_get", buf, 64));
        byte[] random = h.memory.read(buf, 64);
        int zeros = 0;
        for (byte b : random) if (b == 0) zeros++;
        assertTrue(zeros < 16, "random bytes");
        assertEquals(Errno.NOSYS, h.call("proc_raise", 6));
        assertEquals(0, h.call("sched_yield"));
        WasiExit exit = assertThrows(WasiExit.class, () -> h.instance.call("proc_exit", 7));
        assertEquals(7, exit.code());
    }

    @Test
    void standardStreams() {
        assertEquals(0, h.write(1, "out!".getBytes(StandardCharsets.UTF_8)));
        assertEquals("out!", stdout.toString(StandardCharsets.UTF_8));
        assertEquals("typed", h.read(0, 100));
        int stat = h.alloc(24);
        assertEquals(0, h.call("fd_fdstat_get", 1, stat));
        assertEquals(WasiFlags.FILETYPE_CHARACTER_DEVICE, h.u8(stat));
        assertEquals(Errno.SPIPE, h.call("fd_seek", 1, 0L, WasiFlags.WHENCE_SET, h.alloc(8)));
        assertEquals(Errno.BADF, h.call("fd_write", 9, h.alloc(8), 0, h.alloc(4)));
    }

    @Test
    void preopens() {
        int prestat = h.alloc(8);
        assertEquals(0, h.call("fd_prestat_get", ROOT, prestat));
        assertEquals(0, h.u8(prestat));
        assertEquals(8, h.i32(prestat + 4));
        int name = h.alloc(8);
        assertEquals(Errno.NAMETOOLONG, h.call("fd_prestat_dir_name", ROOT, name, 3));
        assertEquals(0, h.call("fd_prestat_dir_name", ROOT, name, 8));
        assertEquals("/sandbox", h.text(name, 8));
        assertEquals(Errno.BADF, h.call("fd_prestat_get", 1, prestat));
        assertEquals(Errno.BADF, h.call("fd_prestat_get", 4, prestat));
    }

    @Test
    void filesReadWriteSeekStatTruncate() throws IOException {
        int fd = h.open(ROOT, 0, "data.bin", WasiFlags.OFLAGS_CREAT | WasiFlags.OFLAGS_EXCL,
                Rights.REGULAR_FILE, 0);
        assertTrue(fd > ROOT);
        assertEquals(-Errno.EXIST, h.open(ROOT, 0, "data.bin", WasiFlags.OFLAGS_CREAT | WasiFlags.OFLAGS_EXCL,
                Rights.REGULAR_FILE, 0));
        assertEquals(0, h.write(fd, "hello world".getBytes(StandardCharsets.UTF_8)));
        assertEquals("hello world", Files.readString(dir.resolve("data.bin")));
        int pos = h.alloc(8);
        assertEquals(0, h.call("fd_seek", fd, 6L, WasiFlags.WHENCE_SET, pos));
        assertEquals(6, h.i64(pos));
        assertEquals("world", h.read(fd, 100));
        assertEquals(0, h.call("fd_tell", fd, pos));
        assertEquals(11, h.i64(pos));
        assertEquals(Errno.INVAL, h.call("fd_seek", fd, -20L, WasiFlags.WHENCE_CUR, pos));
        // pwrite/pread with two iovecs leave the position alone
        int iov = h.alloc(16);
        int a = h.string("AB");
        int b = h.string("CD");
        h.setI32(iov, a);
        h.setI32(iov + 4, 2);
        h.setI32(iov + 8, b);
        h.setI32(iov + 12, 2);
        int n = h.alloc(4);
        assertEquals(0, h.call("fd_pwrite", fd, iov, 2, 1L, n));
        assertEquals(4, h.i32(n));
        assertEquals("hABCD world", Files.readString(dir.resolve("data.bin")));
        assertEquals(0, h.call("fd_pread", fd, iov, 2, 7L, n));
        assertEquals(4, h.i32(n));
        assertEquals("orld", h.text(a, 2) + h.text(b, 2));
        assertEquals(0, h.call("fd_tell", fd, pos));
        assertEquals(11, h.i64(pos));
        int stat = h.alloc(64);
        assertEquals(0, h.call("fd_filestat_get", fd, stat));
        assertEquals(WasiFlags.FILETYPE_REGULAR_FILE, h.u8(stat + 16));
        assertEquals(11, h.i64(stat + 32));
        assertEquals(0, h.call("fd_filestat_set_size", fd, 5L));
        assertEquals(0, h.call("fd_allocate", fd, 0L, 100L));
        assertEquals(100, Files.size(dir.resolve("data.bin")));
        assertEquals(0, h.call("fd_filestat_set_times", fd, 1_000_000_000L, 2_000_000_000L,
                WasiFlags.FST_ATIM | WasiFlags.FST_MTIM));
        assertEquals(0, h.call("fd_filestat_get", fd, stat));
        assertEquals(2_000_000_000L, h.i64(stat + 48));
        assertEquals(Errno.INVAL, h.call("fd_filestat_set_times", fd, 0L, 0L,
                WasiFlags.FST_MTIM | WasiFlags.FST_MTIM_NOW));
        assertEquals(0, h.call("fd_datasync", fd));
        assertEquals(0, h.call("fd_sync", fd));
        assertEquals(0, h.call("fd_advise", fd, 0L, 10L, 1));
        assertEquals(Errno.INVAL, h.call("fd_advise", fd, 0L, 10L, 9));
        // append mode writes at the end whatever the position
        assertEquals(0, h.call("fd_fdstat_set_flags", fd, WasiFlags.FDFLAGS_APPEND));
        assertEquals(0, h.call("fd_seek", fd, 0L, WasiFlags.WHENCE_SET, pos));
        assertEquals(0, h.write(fd, "!".getBytes(StandardCharsets.UTF_8)));
        assertEquals(101, Files.size(dir.resolve("data.bin")));
        assertEquals(0, h.call("fd_close", fd));
        assertEquals(Errno.BADF, h.call("fd_close", fd));
    }

    @Test
    void anOpenFileKeepsItsIdentityWhenRenamedOrUnlinked() {
        int fd = h.open(ROOT, 0, "keep.txt", WasiFlags.OFLAGS_CREAT, Rights.REGULAR_FILE, 0);
        assertEquals(0, h.write(fd, "12345".getBytes(StandardCharsets.UTF_8)));
        int stat = h.alloc(64);
        assertEquals(0, h.call("fd_filestat_get", fd, stat));
        long inode = h.i64(stat + 8);
        assertEquals(1, h.i64(stat + 24));
        assertEquals(0, h.call("path_rename", ROOT, h.string("keep.txt"), 8, ROOT, h.string("gone.txt"), 8));
        assertTrue(h.open(ROOT, 0, "keep.txt", WasiFlags.OFLAGS_CREAT, Rights.REGULAR_FILE, 0) > fd,
                "another file now at the old path");
        assertEquals(0, h.call("fd_filestat_get", fd, stat));
        assertEquals(inode, h.i64(stat + 8));
        assertEquals(5, h.i64(stat + 32));
        assertEquals(Errno.NOTSUP, h.call("fd_filestat_set_times", fd, 0L, 0L, WasiFlags.FST_MTIM_NOW),
                "never the times of the file now at the old path");
        assertEquals(0, h.call("path_unlink_file", ROOT, h.string("gone.txt"), 8));
        assertEquals(0, h.call("fd_filestat_get", fd, stat));
        assertEquals(inode, h.i64(stat + 8));
        assertEquals(0, h.i64(stat + 24), "no links left");
    }

    @Test
    void rightsOnlyShrink() {
        int fd = h.open(ROOT, 0, "r.txt", WasiFlags.OFLAGS_CREAT, Rights.REGULAR_FILE, 0);
        int stat = h.alloc(24);
        assertEquals(0, h.call("fd_fdstat_get", fd, stat));
        assertEquals(WasiFlags.FILETYPE_REGULAR_FILE, h.u8(stat));
        assertEquals(Rights.REGULAR_FILE, h.i64(stat + 8));
        long withoutRead = Rights.REGULAR_FILE & ~Rights.FD_READ;
        assertEquals(0, h.call("fd_fdstat_set_rights", fd, withoutRead, 0L));
        assertEquals(Errno.NOTCAPABLE, h.call("fd_read", fd, h.alloc(8), 0, h.alloc(4)));
        assertEquals(Errno.NOTCAPABLE, h.call("fd_fdstat_set_rights", fd, Rights.REGULAR_FILE, 0L));
        assertEquals(Errno.NOTCAPABLE, h.call("fd_pread", fd, h.alloc(8), 0, 0L, h.alloc(4)));
    }

    @Test
    void directoriesAndReaddirCookies() throws IOException {
        assertEquals(0, h.call("path_create_directory", ROOT, h.string("d"), 1));
        assertEquals(Errno.EXIST, h.call("path_create_directory", ROOT, h.string("d"), 1));
        for (String name : List.of("d/a", "d/bb", "d/ccc")) {
            assertTrue(h.open(ROOT, 0, name, WasiFlags.OFLAGS_CREAT, Rights.REGULAR_FILE, 0) > ROOT);
        }
        int d = h.open(ROOT, 0, "d", WasiFlags.OFLAGS_DIRECTORY, Rights.DIRECTORY, 0);
        // read all entries 40 bytes at a time, resuming from the last complete entry's cookie
        List<String> names = new ArrayList<>();
        long cookie = 0;
        int buf = h.alloc(40);
        int used = h.alloc(4);
        while (true) {
            assertEquals(0, h.call("fd_readdir", d, buf, 40, cookie, used));
            int at = 0;
            int total = h.i32(used);
            boolean progressed = false;
            while (at + 24 <= total) {
                int nameLength = h.i32(buf + at + 16);
                if (at + 24 + nameLength > total) break;
                names.add(h.text(buf + at + 24, nameLength));
                cookie = h.i64(buf + at);
                at += 24 + nameLength;
                progressed = true;
            }
            if (total < 40 && !progressed) break;
            if (total < 40 && at == total) break;
        }
        assertEquals(List.of(".", "..", "a", "bb", "ccc"), names);
        assertEquals(Errno.NOTEMPTY, h.call("path_remove_directory", ROOT, h.string("d"), 1));
        assertEquals(Errno.ISDIR, h.call("path_unlink_file", ROOT, h.string("d"), 1));
        assertEquals(0, h.call("path_unlink_file", ROOT, h.string("d/a"), 3));
        assertEquals(0, h.call("path_rename", ROOT, h.string("d/bb"), 4, ROOT, h.string("moved"), 5));
        assertTrue(Files.exists(dir.resolve("moved")));
        assertEquals(0, h.call("path_link", ROOT, 0, h.string("moved"), 5, ROOT, h.string("hard"), 4));
        assertEquals(0, h.call("path_symlink", h.string("moved"), 5, ROOT, h.string("soft"), 4));
        int buf2 = h.alloc(16);
        assertEquals(0, h.call("path_readlink", ROOT, h.string("soft"), 4, buf2, 16, used));
        assertEquals("moved", h.text(buf2, h.i32(used)));
        assertEquals(Errno.INVAL, h.call("path_readlink", ROOT, h.string("moved"), 5, buf2, 16, used));
        int stat = h.alloc(64);
        assertEquals(0, h.call("path_filestat_get", ROOT, WasiFlags.LOOKUP_SYMLINK_FOLLOW, h.string("soft"), 4,
                stat));
        assertEquals(WasiFlags.FILETYPE_REGULAR_FILE, h.u8(stat + 16));
        assertEquals(2, h.i64(stat + 24), "two hard links");
        assertEquals(Errno.NOTDIR, h.call("path_open", ROOT, 0, h.string("moved/"), 6, 0, 0L, 0L, 0, h.alloc(4)));
        int renumbered = h.open(ROOT, 0, "moved", 0, Rights.REGULAR_FILE, 0);
        assertEquals(0, h.call("fd_renumber", renumbered, d));
        assertEquals(Errno.BADF, h.call("fd_close", renumbered));
        assertEquals(WasiFlags.FILETYPE_REGULAR_FILE, fdType(d));
    }

    private int fdType(int fd) {
        int stat = h.alloc(24);
        assertEquals(0, h.call("fd_fdstat_get", fd, stat));
        return h.u8(stat);
    }

    @Test
    void pollWaitsForClocksAndReportsReadyDescriptors() {
        int subs = h.alloc(96);
        int events = h.alloc(64);
        int n = h.alloc(4);
        h.setI64(subs, 11L); // userdata
        h.memory.write(subs + 8, new byte[] {(byte) WasiFlags.EVENT_CLOCK});
        h.setI32(subs + 16, WasiFlags.CLOCK_MONOTONIC);
        h.setI64(subs + 24, 20_000_000L); // 20 ms, relative
        long start = System.nanoTime();
        assertEquals(0, h.call("poll_oneoff", subs, events, 1, n));
        assertTrue(System.nanoTime() - start >= 20_000_000L, "slept until the deadline");
        assertEquals(1, h.i32(n));
        assertEquals(11L, h.i64(events));
        assertEquals(WasiFlags.EVENT_CLOCK, h.u8(events + 10));
        // a writable stdout is reported at once, the clock is not yet due
        h.setI64(subs + 48, 22L);
        h.memory.write(subs + 56, new byte[] {(byte) WasiFlags.EVENT_FD_WRITE});
        h.setI32(subs + 64, 1);
        h.setI64(subs + 24, 10_000_000_000L);
        start = System.nanoTime();
        assertEquals(0, h.call("poll_oneoff", subs, events, 2, n));
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        assertEquals(1, h.i32(n));
        assertEquals(22L, h.i64(events));
        assertEquals(Errno.INVAL, h.call("poll_oneoff", subs, events, 0, n));
    }

    @Test
    void socketsAreNotAvailable() {
        assertEquals(Errno.NOTSOCK, h.call("sock_accept", 1, 0, h.alloc(4)));
        assertEquals(Errno.NOTSOCK, h.call("sock_shutdown", ROOT, 2));
        assertEquals(Errno.NOTSOCK, h.call("sock_send", 1, h.alloc(8), 0, 0, h.alloc(4)));
        assertEquals(Errno.NOTSOCK, h.call("sock_recv", 0, h.alloc(8), 0, 0, h.alloc(4), h.alloc(4)));
        assertEquals(Errno.BADF, h.call("sock_accept", 99, 0, h.alloc(4)));
    }
}
