package dev.isthmus.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escape attempts from a preopened directory, made the way a guest would (through wasm, guest pointers): "..",
 * absolute paths, absolute and relative symlinks, symlink chains and loops, rename/link/symlink targets outside.
 * Every one must fail, and nothing outside may change.
 *
 * <pre>
 *   tmp/outside/secret.txt
 *   tmp/sandbox/            (preopened as "/", fd 3)
 *       file.txt   sub/inner.txt
 *       abs-link -> tmp/outside/secret.txt      up-link -> ../outside/secret.txt
 *       chain1 -> chain2 -> sub/../../outside   loop1 -> loop2 -> loop1
 *       dir-link -> sub                          root-up -> ..
 * </pre>
 */
class SandboxTest {
    private static final int ROOT = 3;
    private static final int FOLLOW = WasiFlags.LOOKUP_SYMLINK_FOLLOW;

    @TempDir
    Path tmp;
    private Path outside;
    private WasiHarness h;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
        Files.writeString(sandbox.resolve("file.txt"), "inside");
        Files.createDirectories(sandbox.resolve("sub"));
        Files.writeString(sandbox.resolve("sub/inner.txt"), "inner");
        Files.createSymbolicLink(sandbox.resolve("abs-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(sandbox.resolve("up-link"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(sandbox.resolve("chain1"), Path.of("chain2"));
        Files.createSymbolicLink(sandbox.resolve("chain2"), Path.of("sub/../../outside"));
        Files.createSymbolicLink(sandbox.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(sandbox.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(sandbox.resolve("dir-link"), Path.of("sub"));
        Files.createSymbolicLink(sandbox.resolve("root-up"), Path.of(".."));
        h = new WasiHarness(WasiOptions.builder().preopen(sandbox, "/").build());
    }

    @AfterEach
    void tearDown() throws IOException {
        h.close();
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")), "outside file changed");
        try (var list = Files.list(outside)) {
            assertEquals(1, list.count(), "something appeared outside");
        }
    }

    private int open(String path, int lookup) {
        return h.open(ROOT, lookup, path, 0, Rights.FD_READ, 0);
    }

    @Test
    void dotDotAndAbsolutePathsAreRefused() {
        assertEquals(-Errno.PERM, open("../outside/secret.txt", FOLLOW));
        assertEquals(-Errno.PERM, open("sub/../../outside/secret.txt", FOLLOW));
        assertEquals(-Errno.PERM, open("/etc/passwd", FOLLOW));
        assertEquals(-Errno.PERM, open(tmp.resolve("outside/secret.txt").toString(), FOLLOW));
        int fd = open("sub/./../sub/inner.txt", FOLLOW);
        assertTrue(fd > ROOT, "a '..' that stays inside works");
        assertEquals("inner", h.read(fd, 100));
    }

    @Test
    void symlinksLeavingTheSandboxAreNeverFollowed() {
        assertEquals(-Errno.PERM, open("abs-link", FOLLOW));
        assertEquals(-Errno.PERM, open("up-link", FOLLOW));
        assertEquals(-Errno.PERM, open("chain1/secret.txt", FOLLOW));
        assertEquals(-Errno.PERM, open("root-up/outside/secret.txt", 0), "intermediate links always resolve");
        assertEquals(-Errno.LOOP, open("abs-link", 0), "not following a final symlink is like O_NOFOLLOW");
        assertEquals(-Errno.LOOP, open("loop1", FOLLOW));
        int fd = open("dir-link/inner.txt", 0);
        assertTrue(fd > ROOT, "links that stay inside work");
        assertEquals("inner", h.read(fd, 100));
    }

    @Test
    void aDirectoryDescriptorIsACapabilityForItsSubtreeOnly() {
        int sub = h.open(ROOT, 0, "sub", WasiFlags.OFLAGS_DIRECTORY, Rights.DIRECTORY, 0);
        assertTrue(sub > ROOT);
        assertEquals(-Errno.PERM, h.open(sub, 0, "../file.txt", 0, Rights.FD_READ, 0));
        assertTrue(h.open(sub, 0, "inner.txt", 0, Rights.FD_READ, 0) > sub);
    }

    @Test
    void pathOperationsCannotReachOutside() {
        String up = "../outside/stolen";
        assertEquals(Errno.PERM, h.call("path_rename", ROOT, h.string("file.txt"), 8, ROOT, h.string(up),
                WasiHarness.length(up)));
        assertEquals(Errno.PERM, h.call("path_rename", ROOT, h.string("file.txt"), 8, ROOT,
                h.string("root-up/outside/x"), WasiHarness.length("root-up/outside/x")));
        assertEquals(Errno.PERM, h.call("path_link", ROOT, 0, h.string("file.txt"), 8, ROOT, h.string(up),
                WasiHarness.length(up)));
        assertEquals(Errno.PERM, h.call("path_link", ROOT, FOLLOW, h.string("up-link"), 7, ROOT, h.string("copy"),
                4), "linking to what an escaping symlink points at");
        assertEquals(Errno.PERM, h.call("path_create_directory", ROOT, h.string("../evil"), 7));
        assertEquals(Errno.PERM, h.call("path_unlink_file", ROOT, h.string("../outside/secret.txt"), 21));
        assertEquals(Errno.PERM, h.call("path_remove_directory", ROOT, h.string("root-up/outside"), 15));
        String target = tmp.resolve("outside").toString();
        assertEquals(Errno.PERM, h.call("path_symlink", h.string(target), WasiHarness.length(target), ROOT,
                h.string("made"), 4), "absolute symlink targets are refused");
        assertEquals(Errno.SUCCESS, h.call("path_symlink", h.string("../outside"), 10, ROOT, h.string("made"), 4),
                "a relative link may be created...");
        assertEquals(-Errno.PERM, open("made/secret.txt", FOLLOW), "...but never followed outside");
        int stat = h.alloc(64);
        assertEquals(Errno.PERM, h.call("path_filestat_get", ROOT, FOLLOW, h.string("up-link"), 7, stat));
        assertEquals(Errno.SUCCESS, h.call("path_filestat_get", ROOT, 0, h.string("up-link"), 7, stat));
        assertEquals(WasiFlags.FILETYPE_SYMBOLIC_LINK, h.u8(stat + 16), "the link itself");
        assertEquals(Errno.PERM, h.call("path_filestat_set_times", ROOT, FOLLOW, h.string("abs-link"), 8, 0L, 0L,
                WasiFlags.FST_MTIM));
        assertTrue(Files.exists(tmp.resolve("sandbox/file.txt"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(tmp.resolve("evil")));
    }

    @Test
    void badGuestPointersGiveEfaultNotExceptions() {
        int beyond = (int) h.memory.byteSize() - 2;
        assertEquals(Errno.FAULT, h.call("path_open", ROOT, 0, beyond, 100, 0, 0L, 0L, 0, h.alloc(4)));
        assertEquals(Errno.FAULT, h.call("path_open", ROOT, 0, h.string("file.txt"), 8, 0, 0L, 0L, 0, -1));
        assertEquals(Errno.FAULT, h.call("fd_write", 1, -8, 1, h.alloc(4)));
        assertEquals(Errno.FAULT, h.call("args_sizes_get", beyond, 0));
        assertEquals(Errno.FAULT, h.call("random_get", 0, -1));
        assertEquals(Errno.BADF, h.call("path_open", 42, 0, h.string("file.txt"), 8, 0, 0L, 0L, 0, h.alloc(4)));
        int file = open("file.txt", 0);
        assertEquals(Errno.NOTDIR, h.call("path_open", file, 0, h.string("x"), 1, 0, 0L, 0L, 0, h.alloc(4)));
    }
}
