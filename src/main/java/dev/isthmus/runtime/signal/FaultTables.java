package dev.isthmus.runtime.signal;

import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.abi.TrapCode;

/**
 * The three process-wide tables the signal shim consults, in this order, to decide that a fault is a wasm trap:
 *
 * <pre>
 *   1. code()         faulting PC (RIP)        → ours?          datum unused (0)
 *   2. stacks()       faulting RSP             → whose thread?  datum = address of that thread's TrapLanding
 *   3. faultRegions() fault address (si_addr)  → which trap?    datum = TrapCode.code()   (SIGSEGV/SIGBUS only;
 *                                                                 SIGILL in our code is always "unreachable")
 * </pre>
 * A miss at any step means "not ours": the shim chains to the previous (JVM) handler.
 *
 * <p>Register code when it becomes executable and remove it (close the {@link Registration}) before unmapping it;
 * the same for stacks and for guard regions / memory reservations.
 */
public final class FaultTables {
    private FaultTables() {
    }

    /** Initial capacity of each table; the tables grow without limit. */
    public static final int INITIAL_CAPACITY = 256;

    private static final NativeRangeTable CODE = new NativeRangeTable("code ranges", INITIAL_CAPACITY);
    private static final NativeRangeTable STACKS = new NativeRangeTable("wasm stacks", INITIAL_CAPACITY);
    private static final NativeRangeTable FAULT_REGIONS = new NativeRangeTable("fault regions", INITIAL_CAPACITY);

    /** Ranges of our generated code. */
    public static NativeRangeTable code() {
        return CODE;
    }

    /** Wasm stacks (whole mappings, guard included), each with its thread's landing address. */
    public static NativeRangeTable stacks() {
        return STACKS;
    }

    /** Regions whose access is a trap (stack guards, memory reservations), each with its trap kind. */
    public static NativeRangeTable faultRegions() {
        return FAULT_REGIONS;
    }

    /** Registers {@code [start, end)} as generated code. */
    public static Registration registerCode(long start, long end) {
        CODE.add(start, end, 0);
        return new Registration(CODE, start, end);
    }

    /** Registers the whole mapping of {@code memory} as generated code. */
    public static Registration registerCode(CodeMemory memory) {
        return registerCode(memory.address(), memory.address() + memory.size());
    }

    /** Registers a wasm stack mapping {@code [start, end)} whose thread traps land at {@code landingAddress}. */
    public static Registration registerStack(long start, long end, long landingAddress) {
        STACKS.add(start, end, landingAddress);
        return new Registration(STACKS, start, end);
    }

    /** Registers {@code [start, end)} as a region where a fault in our code is the trap {@code kind}. */
    public static Registration registerFaultRegion(long start, long end, TrapCode kind) {
        FAULT_REGIONS.add(start, end, kind.code());
        return new Registration(FAULT_REGIONS, start, end);
    }
}
