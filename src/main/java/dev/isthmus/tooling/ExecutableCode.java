package dev.isthmus.tooling;

import dev.isthmus.runtime.code.CodeMemory;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** Machine code mapped read+execute (see {@link Tooling#executable}); it stays mapped for the rest of the process. */
public final class ExecutableCode {
    private final CodeMemory memory;

    ExecutableCode(CodeMemory memory) {
        this.memory = memory;
    }

    /** The address of the first byte. */
    public long address() {
        return memory.address();
    }

    /** Whether the code is read+execute (always, once {@link Tooling#executable} returned it). */
    public boolean isSealed() {
        return memory.isSealed();
    }

    /** A downcall handle for the function that starts {@code offset} bytes in. */
    public MethodHandle entry(long offset, FunctionDescriptor descriptor) {
        return memory.entry(offset, descriptor);
    }
}
