package dev.isthmus.runtime.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A function reference in native memory: what {@code ref.func} produces, what a funcref table element points to,
 * and how a function is called from another instance. A null funcref is the address 0.
 *
 * <pre>
 *   offset  field
 *        0  code      address of the function's machine code (internal ABI, see {@link WasmAbi})
 *        8  vmctx     the context to put in r15 for the call: the owning instance's vmctx, or for a host
 *                     function the address of its host record (read by its host-call adapter)
 *       16  typeId    the canonical id of its function type ({@link TypeIds}); call_indirect compares it
 *       24
 * </pre>
 */
public final class FuncRefLayout {
    private FuncRefLayout() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("code"),
            JAVA_LONG.withName("vmctx"),
            JAVA_LONG.withName("typeId")).withName("func_ref");

    public static final long CODE = LAYOUT.byteOffset(groupElement("code"));
    public static final long VMCTX = LAYOUT.byteOffset(groupElement("vmctx"));
    public static final long TYPE_ID = LAYOUT.byteOffset(groupElement("typeId"));
    public static final long SIZE = LAYOUT.byteSize();
}
