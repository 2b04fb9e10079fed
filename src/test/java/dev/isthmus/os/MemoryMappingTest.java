package dev.isthmus.os;

import static dev.isthmus.os.LinuxConstants.MADV_DONTNEED;
import static dev.isthmus.os.LinuxConstants.PROT_EXEC;
import static dev.isthmus.os.LinuxConstants.PROT_NONE;
import static dev.isthmus.os.LinuxConstants.PROT_READ;
import static dev.isthmus.os.LinuxConstants.PROT_WRITE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class MemoryMappingTest {
    private static final long PAGE = SystemInfo.pageSize();

    @Test
    @SuppressWarnings("restricted")
    void mapsWritesAdvisesAndUnmaps() {
        long address = MemoryMapping.mapAnonymous(2 * PAGE, PROT_READ | PROT_WRITE);
        try {
            assertEquals(0, address % PAGE, "mmap returns page-aligned memory");
            MemorySegment memory = MemorySegment.ofAddress(address).reinterpret(2 * PAGE);
            assertEquals(0L, memory.get(JAVA_LONG, PAGE), "anonymous memory starts zeroed");
            memory.set(JAVA_LONG, PAGE, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, memory.get(JAVA_LONG, PAGE));
            MemoryMapping.madvise(address, 2 * PAGE, MADV_DONTNEED);
            assertEquals(0L, memory.get(JAVA_LONG, PAGE), "MADV_DONTNEED drops private anonymous pages");
            MemoryMapping.mprotect(address, PAGE, PROT_NONE);
            MemoryMapping.mprotect(address, PAGE, PROT_READ);
        } finally {
            MemoryMapping.munmap(address, 2 * PAGE);
        }
    }

    @Test
    void failuresCarryCallAndErrno() {
        OsException zeroLength = assertThrows(OsException.class,
                () -> MemoryMapping.mapAnonymous(0, PROT_READ));
        assertEquals(Errno.EINVAL, zeroLength.errno());
        assertEquals("EINVAL", zeroLength.errnoName());
        assertTrue(zeroLength.call().startsWith("mmap(0x0, 0, PROT_READ,"), zeroLength.call());
        assertTrue(zeroLength.getMessage().contains("EINVAL (22): Invalid argument"), zeroLength.getMessage());

        OsException unaligned = assertThrows(OsException.class,
                () -> MemoryMapping.mprotect(PAGE + 1, PAGE, PROT_READ | PROT_EXEC));
        assertEquals(Errno.EINVAL, unaligned.errno());
        assertTrue(unaligned.getMessage().startsWith("mprotect(0x" + Long.toHexString(PAGE + 1) + ", " + PAGE
                + ", PROT_READ|PROT_EXEC) failed: EINVAL"), unaligned.getMessage());

        OsException unmapUnaligned = assertThrows(OsException.class, () -> MemoryMapping.munmap(3, PAGE));
        assertEquals(Errno.EINVAL, unmapUnaligned.errno());
    }

    @Test
    void mprotectOfUnmappedMemoryIsENOMEM() {
        long address = MemoryMapping.mapAnonymous(PAGE, PROT_READ);
        MemoryMapping.munmap(address, PAGE);
        OsException gone = assertThrows(OsException.class, () -> MemoryMapping.mprotect(address, PAGE, PROT_READ));
        assertEquals(Errno.ENOMEM, gone.errno());
        assertEquals("Cannot allocate memory", Errno.describe(Errno.ENOMEM));
    }

    @Test
    void protectionTextSpellsFlags() {
        assertEquals("PROT_NONE", MemoryMapping.protectionText(PROT_NONE));
        assertEquals("PROT_READ|PROT_WRITE", MemoryMapping.protectionText(PROT_READ | PROT_WRITE));
        assertEquals("PROT_READ|0x10", MemoryMapping.protectionText(PROT_READ | 0x10));
    }
}
