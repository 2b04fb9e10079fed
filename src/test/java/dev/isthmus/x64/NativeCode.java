package dev.isthmus.x64;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Test-only executable memory (mmap RW, copy, mprotect RX, munmap on close), so the assembler tests can run what
 * they assemble without depending on the runtime's code memory.
 */
public final class NativeCode implements AutoCloseable {
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = libc("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = libc("mprotect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    private final MemorySegment memory;

    private NativeCode(MemorySegment memory) {
        this.memory = memory;
    }

    /** Maps {@code code} read+execute at a page-aligned address. */
    public static NativeCode load(byte[] code) throws Throwable {
        long size = (code.length + 4095) & ~4095L;
        MemorySegment address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size,
                PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (address.address() == -1L) throw new IllegalStateException("mmap failed");
        MemorySegment memory = address.reinterpret(size);
        MemorySegment.copy(MemorySegment.ofArray(code), 0, memory, 0, code.length);
        if ((int) MPROTECT.invokeExact(memory, size, PROT_READ | PROT_EXEC) != 0) {
            throw new IllegalStateException("mprotect failed");
        }
        return new NativeCode(memory);
    }

    /** A downcall handle for the function at {@code offset}. */
    public MethodHandle function(int offset, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(memory.asSlice(offset, 0), descriptor);
    }

    @Override
    public void close() {
        int result;
        try {
            result = (int) MUNMAP.invokeExact(memory, memory.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
        if (result != 0) throw new IllegalStateException("munmap failed");
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor);
    }
}
