package dev.isthmus.runtime.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native record of one host (Java) function; its address is the {@code vmctx} of the host function's
 * {@link FuncRefLayout func ref}, so its host-call adapter finds it in r15.
 *
 * <pre>
 *   offset  field
 *        0  bridge    address of the host-call bridge: int bridge(long hostRecord, long buffer), SysV; switches to
 *                     the Java stack, runs the host function, switches back, returns 0 or a TrapCode code
 *        8  id        the runtime's handle for the Java function
 *       16  raise     address of the raise stub (the adapter has no instance vmctx to find it in)
 *       24
 * </pre>
 */
public final class HostRecordLayout {
    private HostRecordLayout() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("bridge"),
            JAVA_LONG.withName("id"),
            JAVA_LONG.withName("raise")).withName("host_record");

    public static final long BRIDGE = LAYOUT.byteOffset(groupElement("bridge"));
    public static final long ID = LAYOUT.byteOffset(groupElement("id"));
    public static final long RAISE = LAYOUT.byteOffset(groupElement("raise"));
    public static final long SIZE = LAYOUT.byteSize();
}
