package dev.isthmus.runtime.instance;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.trap.FrameUnwindSource;

/**
 * Machine code of runtime stubs that compiled code calls (the builtin stubs, the fuel stub), mapped executable with
 * its unwind table as the owner of its range, so that a backtrace walk passes through the stub, and registered as
 * ours with the signal shim.
 */
final class StubCode implements FrameUnwindSource {
    private final FrameUnwind table;
    private volatile long start;
    private volatile long end;

    private StubCode(FrameUnwind table) {
        this.table = table;
    }

    /** The one shape of the runtime's upcalls: {@code long f(long, long, long, long)}. */
    private static final java.lang.foreign.FunctionDescriptor UPCALL = java.lang.foreign.FunctionDescriptor.of(
            java.lang.foreign.ValueLayout.JAVA_LONG, java.lang.foreign.ValueLayout.JAVA_LONG,
            java.lang.foreign.ValueLayout.JAVA_LONG, java.lang.foreign.ValueLayout.JAVA_LONG,
            java.lang.foreign.ValueLayout.JAVA_LONG);

    /**
     * The address of an upcall stub (global arena: it lives as long as the process) of the static method
     * {@code owner.name(long, long, long, long) long}, found through {@code lookup} (the owner's, so it may be
     * private): what the runtime's stubs call through the host-call bridge.
     */
    static long upcall(java.lang.invoke.MethodHandles.Lookup lookup, Class<?> owner, String name)
            throws ReflectiveOperationException {
        var method = lookup.findStatic(owner, name, java.lang.invoke.MethodType.methodType(long.class, long.class,
                long.class, long.class, long.class));
        return java.lang.foreign.Linker.nativeLinker().upcallStub(method, UPCALL, java.lang.foreign.Arena.global())
                .address();
    }

    /** Maps {@code bytes} executable, owned by an unwind source of {@code table} (offsets from the code's start). */
    static CodeMemory install(byte[] bytes, FrameUnwind table) {
        StubCode owner = new StubCode(table);
        CodeMemory code = CodeMemory.allocate(bytes.length, owner);
        code.write(0, bytes);
        code.seal();
        owner.start = code.address();
        owner.end = code.address() + bytes.length;
        FaultTables.registerCode(code);
        return code;
    }

    @Override
    public long unwindStepAt(long pc) {
        long from = start;
        if (pc < from || pc >= end) return NO_STEP;
        return table.stepAt((int) (pc - from));
    }
}
