package dev.isthmus.runtime.code;

import static dev.isthmus.os.LinuxConstants.PROT_EXEC;
import static dev.isthmus.os.LinuxConstants.PROT_READ;
import static dev.isthmus.os.LinuxConstants.PROT_WRITE;

import dev.isthmus.os.MemoryMapping;
import dev.isthmus.os.SystemInfo;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Pages of machine code, kept W^X: writable (never executable) while code is copied in, then sealed read+execute
 * (never writable again), and unmapped on {@link #close()}.
 *
 * <pre>
 *   allocate(n)            write(off, bytes)...        seal()                       close()
 *   mmap RW  ───────────▶  WRITABLE  ──────────────▶  mprotect R|X ─▶ EXECUTABLE ─▶ munmap ─▶ CLOSED
 *   register in CodeRegistry.global()                  entry(off, descriptor) → MethodHandle    deregister
 * </pre>
 *
 * <p>The range is registered in {@link CodeRegistry#global()} from allocation until close, so a fault handler can
 * recognise PCs inside it.
 *
 * <p>Method handles from {@link #entry} hold only the raw address: calling one after {@code close()} executes
 * unmapped (or reused) memory and crashes the process. Close only when no handle can be called any more and no
 * thread is running the code; there is deliberately no cleaner that would unmap behind live handles.
 */
public final class CodeMemory implements AutoCloseable {
    private enum State { WRITABLE, EXECUTABLE, CLOSED }

    private final long address;
    private final long size;
    private final CodeRange range;
    private State state = State.WRITABLE;

    private CodeMemory(long address, long size, Object owner) {
        this.address = address;
        this.size = size;
        this.range = CodeRegistry.global().register(address, address + size, owner == null ? this : owner);
    }

    /** Maps at least {@code capacity} bytes (rounded up to whole pages) of writable memory, owned by itself. */
    public static CodeMemory allocate(long capacity) {
        return allocate(capacity, null);
    }

    /**
     * Maps at least {@code capacity} bytes (rounded up to whole pages) of writable memory.
     *
     * @param owner the owner recorded in the {@link CodeRegistry}; {@code null} means this CodeMemory
     */
    public static CodeMemory allocate(long capacity, Object owner) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("code memory capacity must be positive: " + capacity);
        }
        long size = SystemInfo.roundUpToPages(capacity);
        long address = MemoryMapping.mapAnonymous(size, PROT_READ | PROT_WRITE);
        try {
            return new CodeMemory(address, size, owner);
        } catch (RuntimeException e) {
            MemoryMapping.munmap(address, size);
            throw e;
        }
    }

    /** Maps {@code code}, seals it executable and returns it: the one-step form for finished code. */
    public static CodeMemory of(byte[] code) {
        CodeMemory memory = allocate(code.length);
        try {
            memory.write(0, code);
            memory.seal();
            return memory;
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    /** Copies {@code bytes} to {@code offset}; only before {@link #seal()}. */
    public synchronized void write(long offset, byte[] bytes) {
        requireState(State.WRITABLE, "write");
        Objects.checkFromIndexSize(offset, bytes.length, size);
        MemorySegment.copy(bytes, 0, pages(), ValueLayout.JAVA_BYTE, offset, bytes.length);
    }

    /** Flips the pages to read+execute. After this the memory is never writable again. */
    public synchronized void seal() {
        requireState(State.WRITABLE, "seal");
        MemoryMapping.mprotect(address, size, PROT_READ | PROT_EXEC);
        state = State.EXECUTABLE;
    }

    /** Whether {@link #seal()} has run (and {@link #close()} has not). */
    public synchronized boolean isSealed() {
        return state == State.EXECUTABLE;
    }

    /** Copies {@code length} bytes from {@code offset} (for listings and tests); not after {@link #close()}. */
    public synchronized byte[] read(long offset, int length) {
        if (state == State.CLOSED) {
            throw new IllegalStateException("code memory is closed");
        }
        Objects.checkFromIndexSize(offset, length, size);
        return pages().asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * A downcall handle for the function starting at {@code offset}, which must follow the platform (SysV) calling
     * convention described by {@code descriptor}. Only after {@link #seal()}.
     */
    @SuppressWarnings("restricted")
    public synchronized MethodHandle entry(long offset, FunctionDescriptor descriptor, Linker.Option... options) {
        requireState(State.EXECUTABLE, "entry");
        Objects.checkIndex(offset, size);
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address + offset), descriptor, options);
    }

    /** The first address of the mapping (page aligned). */
    public long address() {
        return address;
    }

    /** The mapped size in bytes (a whole number of pages). */
    public long size() {
        return size;
    }

    /** The address of {@code offset} within the mapping. */
    public long addressOf(long offset) {
        Objects.checkIndex(offset, size);
        return address + offset;
    }

    /** The range registered for this memory in {@link CodeRegistry#global()}. */
    public CodeRange range() {
        return range;
    }

    /** Unmaps the pages and deregisters the range. Idempotent. See the class comment about live handles. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        CodeRegistry.global().deregister(range);
        MemoryMapping.munmap(address, size);
    }

    @Override
    public String toString() {
        return "CodeMemory[0x" + Long.toHexString(address) + ", " + size + " bytes, " + state + "]";
    }

    @SuppressWarnings("restricted")
    private MemorySegment pages() {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    private void requireState(State required, String operation) {
        if (state != required) {
            throw new IllegalStateException(operation + " needs " + required + " code memory, but it is " + state);
        }
    }
}
