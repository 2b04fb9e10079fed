package dev.isthmus.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SystemInfoTest {
    @Test
    void pageSizeAgreesWithTheKernel() {
        long page = SystemInfo.pageSize();
        assertTrue(page >= 4096 && Long.bitCount(page) == 1, "page size " + page);
        assertEquals(page, SystemInfo.auxiliaryValue(LinuxConstants.AT_PAGESZ));
    }

    @Test
    void roundsUpToPages() {
        long page = SystemInfo.pageSize();
        assertEquals(0, SystemInfo.roundUpToPages(0));
        assertEquals(page, SystemInfo.roundUpToPages(1));
        assertEquals(page, SystemInfo.roundUpToPages(page));
        assertEquals(2 * page, SystemInfo.roundUpToPages(page + 1));
        assertThrows(IllegalArgumentException.class, () -> SystemInfo.roundUpToPages(-1));
    }

    @Test
    void processorsAndSignalStackSize() {
        assertTrue(SystemInfo.sysconf(LinuxConstants.SC_NPROCESSORS_ONLN) >= 1);
        assertTrue(SystemInfo.minimumSignalStackSize() >= LinuxConstants.MINSIGSTKSZ);
    }

    @Test
    void unknownSysconfNameIsEINVAL() {
        OsException e = assertThrows(OsException.class, () -> SystemInfo.sysconf(-5));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("sysconf(-5)", e.call());
    }

    @Test
    void errnoNames() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("EINVAL", Errno.name(22));
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("errno 41", Errno.name(41));
        assertEquals("errno 9999", Errno.name(9999));
        assertEquals("Invalid argument", Errno.describe(22));
    }
}
