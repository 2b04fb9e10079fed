package dev.isthmus.os;

/**
 * Numeric constants of the Linux x86-64 kernel and glibc ABI that the runtime passes to libc, all in one place.
 *
 * <p>Values are those of {@code <sys/mman.h>}, {@code <signal.h>}, {@code <unistd.h>} and {@code <sys/auxv.h>} on
 * x86-64 Linux with glibc; they differ on other architectures (for example {@code MAP_ANONYMOUS}, {@code SA_ONSTACK}),
 * which Isthmus does not target.
 */
public final class LinuxConstants {
    private LinuxConstants() {
    }

    // ---- mmap / mprotect protection bits (PROT_*) ----
    /** Pages may not be accessed. */
    public static final int PROT_NONE = 0x0;
    /** Pages may be read. */
    public static final int PROT_READ = 0x1;
    /** Pages may be written. */
    public static final int PROT_WRITE = 0x2;
    /** Pages may be executed. */
    public static final int PROT_EXEC = 0x4;

    // ---- mmap flags (MAP_*) ----
    /** Share the mapping with other processes mapping the same object. */
    public static final int MAP_SHARED = 0x01;
    /** Private copy-on-write mapping. */
    public static final int MAP_PRIVATE = 0x02;
    /** Place the mapping exactly at the hint address, replacing whatever is there. */
    public static final int MAP_FIXED = 0x10;
    /** Not backed by a file; contents are zero. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** Mapping grows downwards (stack-like); rarely wanted. */
    public static final int MAP_GROWSDOWN = 0x0100;
    /** Do not reserve swap space for this mapping. */
    public static final int MAP_NORESERVE = 0x4000;
    /** Prefault the page tables. */
    public static final int MAP_POPULATE = 0x8000;
    /** Hint that the mapping is a thread stack. */
    public static final int MAP_STACK = 0x20000;
    /** Like {@link #MAP_FIXED} but fail with EEXIST instead of replacing an existing mapping. */
    public static final int MAP_FIXED_NOREPLACE = 0x100000;
    /** The value mmap returns on failure: {@code (void *) -1}. */
    public static final long MAP_FAILED = -1L;

    // ---- madvise advice (MADV_*) ----
    /** No special treatment. */
    public static final int MADV_NORMAL = 0;
    /** Expect random page references. */
    public static final int MADV_RANDOM = 1;
    /** Expect sequential page references. */
    public static final int MADV_SEQUENTIAL = 2;
    /** Expect access in the near future. */
    public static final int MADV_WILLNEED = 3;
    /** Drop the pages; private anonymous pages read back as zero afterwards. */
    public static final int MADV_DONTNEED = 4;
    /** The pages may be freed lazily; contents become undefined. */
    public static final int MADV_FREE = 8;

    // ---- signal numbers ----
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    /** Illegal instruction (e.g. {@code ud2}). */
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    /** Bus error (e.g. access beyond the end of a mapped file). */
    public static final int SIGBUS = 7;
    /** Arithmetic fault (integer divide by zero or overflow of {@code idiv}). */
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    /** Segmentation fault (guard pages, null pages, protection violations). */
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    /** Window size change; ignored by default and unused by HotSpot, so tests may borrow it. */
    public static final int SIGWINCH = 28;

    // ---- sigaction special handlers ----
    /** Default action ({@code SIG_DFL}). */
    public static final long SIG_DFL = 0L;
    /** Ignore the signal ({@code SIG_IGN}). */
    public static final long SIG_IGN = 1L;

    // ---- sigaction flags (SA_*) ----
    /** Do not receive notification when child processes stop. */
    public static final int SA_NOCLDSTOP = 0x00000001;
    /** Do not turn children into zombies. */
    public static final int SA_NOCLDWAIT = 0x00000002;
    /** The handler takes {@code (int, siginfo_t *, void *ucontext)}. */
    public static final int SA_SIGINFO = 0x00000004;
    /** glibc-internal: {@code sa_restorer} is valid (set by glibc itself; reported back by sigaction). */
    public static final int SA_RESTORER = 0x04000000;
    /** Run the handler on the alternate signal stack, if one is established. */
    public static final int SA_ONSTACK = 0x08000000;
    /** Restart interruptible system calls. */
    public static final int SA_RESTART = 0x10000000;
    /** Do not block the signal while its handler runs. */
    public static final int SA_NODEFER = 0x40000000;
    /** Reset to the default action on entry to the handler. */
    public static final int SA_RESETHAND = 0x80000000;

    // ---- sigaltstack (SS_*) ----
    /** Reported by sigaltstack: the thread is currently executing on the alternate stack. */
    public static final int SS_ONSTACK = 1;
    /** No alternate stack: set to disable it, reported when none is established. */
    public static final int SS_DISABLE = 2;
    /** glibc's legacy minimum size of an alternate signal stack (the kernel may need more; see AT_MINSIGSTKSZ). */
    public static final long MINSIGSTKSZ = 2048;
    /** glibc's legacy recommended size of an alternate signal stack. */
    public static final long SIGSTKSZ = 8192;

    // ---- sysconf names (_SC_*) ----
    /** sysconf name of the page size. */
    public static final int SC_PAGESIZE = 30;
    /** sysconf name of the number of processors online. */
    public static final int SC_NPROCESSORS_ONLN = 84;

    // ---- getauxval types (AT_*) ----
    /** getauxval type of the page size the kernel reports. */
    public static final long AT_PAGESZ = 6;
    /** getauxval type of the minimal signal stack size the kernel needs for a signal frame on this CPU. */
    public static final long AT_MINSIGSTKSZ = 51;
}
