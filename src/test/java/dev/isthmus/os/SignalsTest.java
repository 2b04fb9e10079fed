package dev.isthmus.os;

import static dev.isthmus.os.LinuxConstants.SA_SIGINFO;
import static dev.isthmus.os.LinuxConstants.SIGKILL;
import static dev.isthmus.os.LinuxConstants.SIGSEGV;
import static dev.isthmus.os.LinuxConstants.SIGWINCH;
import static dev.isthmus.os.LinuxConstants.SIG_IGN;
import static dev.isthmus.os.LinuxConstants.SS_DISABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class SignalsTest {
    @Test
    void structLayoutsMatchGlibc() {
        assertEquals(152, SigactionStruct.SIZE);
        assertEquals(0, SigactionStruct.HANDLER_OFFSET);
        assertEquals(8, SigactionStruct.MASK_OFFSET);
        assertEquals(128, SigactionStruct.SIGSET_LAYOUT.byteSize());
        assertEquals(136, SigactionStruct.FLAGS_OFFSET);
        assertEquals(144, SigactionStruct.RESTORER_OFFSET);
        assertEquals(24, StackStruct.SIZE);
        assertEquals(0, StackStruct.SP_OFFSET);
        assertEquals(8, StackStruct.FLAGS_OFFSET);
        assertEquals(16, StackStruct.SIZE_OFFSET);
    }

    @Test
    void signalFrameLayoutsMatchTheDesignNotes() {
        assertEquals(128, SiginfoStruct.SIZE);
        assertEquals(0x10, SiginfoStruct.ADDR_OFFSET);
        assertEquals(8, SiginfoStruct.CODE_OFFSET);
        assertEquals(16, UcontextStruct.STACK_OFFSET);
        assertEquals(40, UcontextStruct.GREGS_OFFSET);
        assertEquals(0xA8, UcontextStruct.gregOffset(UcontextStruct.REG_RIP));
        assertEquals(0xA0, UcontextStruct.gregOffset(UcontextStruct.REG_RSP));
        assertEquals(0x60, UcontextStruct.gregOffset(UcontextStruct.REG_R15));
        assertEquals(40 + 13 * 8, UcontextStruct.gregOffset(UcontextStruct.REG_RAX));
        assertEquals(224, UcontextStruct.FPREGS_OFFSET);
        assertEquals(296, UcontextStruct.SIGMASK_OFFSET);
        assertThrows(IllegalArgumentException.class, () -> UcontextStruct.gregOffset(UcontextStruct.NGREG));
    }

    @Test
    void hotSpotOwnsSigsegv() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = Signals.currentAction(SIGSEGV, arena);
            long handler = SigactionStruct.handler(action);
            assertTrue(handler > SIG_IGN, "the JVM installs a SIGSEGV handler, found " + handler);
            assertTrue((SigactionStruct.flags(action) & SA_SIGINFO) != 0, "HotSpot uses SA_SIGINFO");
        }
    }

    @Test
    void installsQueriesAndRestoresAnAction() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = SigactionStruct.allocate(arena);
            MemorySegment ignore = SigactionStruct.allocate(arena);
            SigactionStruct.setHandler(ignore, SIG_IGN);
            SigactionStruct.addToMask(ignore, SIGWINCH);
            SigactionStruct.addToMask(ignore, 64);
            Signals.sigaction(SIGWINCH, ignore, old);
            try {
                MemorySegment now = Signals.currentAction(SIGWINCH, arena);
                assertEquals(SIG_IGN, SigactionStruct.handler(now));
                assertTrue(SigactionStruct.isMasked(now, SIGWINCH));
                assertTrue(SigactionStruct.isMasked(now, 64));
                assertFalse(SigactionStruct.isMasked(now, SIGSEGV));
            } finally {
                Signals.sigaction(SIGWINCH, old, null);
            }
            assertEquals(SigactionStruct.handler(old),
                    SigactionStruct.handler(Signals.currentAction(SIGWINCH, arena)));
        }
    }

    @Test
    void sigkillCannotBeCaught() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ignore = SigactionStruct.allocate(arena);
            SigactionStruct.setHandler(ignore, SIG_IGN);
            OsException e = assertThrows(OsException.class, () -> Signals.sigaction(SIGKILL, ignore, null));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.call().startsWith("sigaction(9, 0x"), e.call());
            assertThrows(IllegalArgumentException.class, () -> SigactionStruct.addToMask(ignore, 65));
        }
    }

    @Test
    void establishesAndDisablesAnAlternateStack() throws Throwable {
        // on a fresh OS thread: a thread that already ran wasm has the runtime's altstack installed
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                alternateStackOnThisThread();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.join();
        if (failure[0] != null) throw failure[0];
    }

    private static void alternateStackOnThisThread() {
        long size = SystemInfo.roundUpToPages(Math.max(SystemInfo.minimumSignalStackSize(), 64 * 1024));
        long base = MemoryMapping.mapAnonymous(size, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment before = Signals.currentAltStack(arena);
            assertEquals(SS_DISABLE, StackStruct.flags(before) & SS_DISABLE, "Java threads run without altstack");
            Signals.sigaltstack(StackStruct.of(arena, base, size, 0), null);
            try {
                MemorySegment now = Signals.currentAltStack(arena);
                assertEquals(base, StackStruct.base(now));
                assertEquals(size, StackStruct.size(now));
                assertEquals(0, StackStruct.flags(now));
            } finally {
                Signals.sigaltstack(StackStruct.of(arena, 0, 0, SS_DISABLE), null);
            }
            assertNotEquals(0, StackStruct.flags(Signals.currentAltStack(arena)) & SS_DISABLE);
            OsException tooSmall = assertThrows(OsException.class,
                    () -> Signals.sigaltstack(StackStruct.of(arena, base, 16, 0), null));
            assertEquals("ENOMEM", tooSmall.errnoName());
        } finally {
            MemoryMapping.munmap(base, size);
        }
    }
}
