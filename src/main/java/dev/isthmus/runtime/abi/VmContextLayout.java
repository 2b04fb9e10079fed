package dev.isthmus.runtime.abi;

import dev.isthmus.model.WasmModule;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The layout of an instance context (vmctx) for one module: native memory that compiled code reaches through r15
 * ({@link WasmAbi#VMCTX}). Every offset the compiler bakes into code comes from here, derived from one
 * {@link MemoryLayout}; the runtime fills a context with the same layout.
 *
 * <pre>
 *   ┌────────────────────────────────────────────┐ -POLL_PAGE_SIZE
 *   │ poll page (POLL_PAGE_SIZE bytes, PROT_READ) │   safepoint polls read [r15 + POLL]; made PROT_NONE
 *   │                                            │   to interrupt the instance (a fault → INTERRUPTED)
 *   vmctx (page-aligned, the page after the poll page)
 *   ├────────────────────────────────────────────┤ 0
 *   │ memoryBase     base address of memory 0    │   (0 when the module has no memory)
 *   │ memorySize     current size in bytes       │   memory.size, explicit bounds checks
 *   │ raiseStub      address of the raise stub   │   call [r15+raiseStub] with edi = TrapCode code
 *   │ (8 spare bytes: stack limits are per thread, found from RSP — StackGeometry — since a vmctx is
 *   │                 shared by every thread; the slot keeps the later offsets, and so the listings, stable)
 *   │ runtime        reserved for the runtime (its handle for this instance)
 *   ├────────────────────────────────────────────┤
 *   │ builtins[Builtin.values().length]          │   addresses of runtime functions
 *   ├────────────────────────────────────────────┤
 *   │ funcRefs[functionCount]  (24 bytes each)   │   FuncRefLayout: imports first (copied from the
 *   │                                            │   provider), then defined functions
 *   ├────────────────────────────────────────────┤
 *   │ tables[tableCount]       pointers          │   → TableLayout header (shared when imported)
 *   ├────────────────────────────────────────────┤
 *   │ globals[globalCount]     pointers          │   → a 16-byte cell holding the value (shared when
 *   ├────────────────────────────────────────────┤     imported or exported)
 *   │ fuel           consumed minus budget (i64) │   fuel metering only: > 0 at a check = out of fuel
 *   │ fuelStub       address of the fuel stub    │   call [r15+fuelStub] from a check's slow path
 *   └────────────────────────────────────────────┘
 * </pre>
 *
 * Calling function {@code f}: defined in this module → {@code call rel32} to its code; imported →
 * {@code save r15; r11 = [r15 + funcRef(f)]; r15 = [r15 + funcRef(f) + 8]; call r11; restore r15}.
 */
public final class VmContextLayout {
    /**
     * Size of the poll page just below every vmctx (the vmctx is page-aligned): readable while the instance runs
     * normally, unreadable while it is interrupted.
     */
    public static final int POLL_PAGE_SIZE = 4096;
    /**
     * Offset from vmctx of the word a safepoint poll reads: in the poll page, close enough to r15 for an 8-bit
     * displacement ({@code test [r15 - 8], eax}: 4 bytes, no register written, no branch).
     */
    public static final int POLL = -8;
    private final StructLayout layout;
    private final int functionCount;
    private final int tableCount;
    private final int globalCount;
    private final long builtins;
    private final long funcRefs;
    private final long tables;
    private final long globals;

    private VmContextLayout(int functionCount, int tableCount, int globalCount) {
        this.functionCount = functionCount;
        this.tableCount = tableCount;
        this.globalCount = globalCount;
        this.layout = MemoryLayout.structLayout(
                JAVA_LONG.withName("memoryBase"),
                JAVA_LONG.withName("memorySize"),
                JAVA_LONG.withName("raiseStub"),
                MemoryLayout.paddingLayout(8),
                JAVA_LONG.withName("runtime"),
                MemoryLayout.sequenceLayout(Builtin.values().length, JAVA_LONG).withName("builtins"),
                MemoryLayout.sequenceLayout(functionCount, FuncRefLayout.LAYOUT).withName("funcRefs"),
                MemoryLayout.sequenceLayout(tableCount, JAVA_LONG).withName("tables"),
                MemoryLayout.sequenceLayout(globalCount, JAVA_LONG).withName("globals"),
                JAVA_LONG.withName("fuel"),
                JAVA_LONG.withName("fuelStub")).withName("vmctx");
        this.builtins = layout.byteOffset(groupElement("builtins"));
        this.funcRefs = layout.byteOffset(groupElement("funcRefs"));
        this.tables = layout.byteOffset(groupElement("tables"));
        this.globals = layout.byteOffset(groupElement("globals"));
    }

    /** The context layout of {@code module}. */
    public static VmContextLayout of(WasmModule module) {
        return new VmContextLayout(module.functionCount(), module.tableCount(), module.globalCount());
    }

    public StructLayout layout() {
        return layout;
    }

    public long size() {
        return layout.byteSize();
    }

    public long memoryBase() {
        return layout.byteOffset(groupElement("memoryBase"));
    }

    public long memorySize() {
        return layout.byteOffset(groupElement("memorySize"));
    }

    public long raiseStub() {
        return layout.byteOffset(groupElement("raiseStub"));
    }

    /** The fuel counter (code compiled with fuel metering): fuel consumed minus the budget, signed. */
    public long fuel() {
        return layout.byteOffset(groupElement("fuel"));
    }

    /** The address of the out-of-fuel stub a fuel check's slow path calls (see {@code FuelMetering}). */
    public long fuelStub() {
        return layout.byteOffset(groupElement("fuelStub"));
    }

    public long runtime() {
        return layout.byteOffset(groupElement("runtime"));
    }

    public long builtin(Builtin builtin) {
        return builtins + 8L * builtin.ordinal();
    }

    /** The func ref of function {@code index} (function index space: imports first). */
    public long funcRef(int index) {
        checkIndex(index, functionCount, "function");
        return funcRefs + FuncRefLayout.SIZE * index;
    }

    /** The slot holding the address of table {@code index}'s {@link TableLayout header}. */
    public long table(int index) {
        checkIndex(index, tableCount, "table");
        return tables + 8L * index;
    }

    /** The slot holding the address of global {@code index}'s 16-byte value cell. */
    public long global(int index) {
        checkIndex(index, globalCount, "global");
        return globals + 8L * index;
    }

    /** Cross-check against the path API (used by tests): offset of {@code funcRefs[index].field}. */
    public long funcRefFieldByPath(int index, String field) {
        return layout.byteOffset(groupElement("funcRefs"), sequenceElement(index), groupElement(field));
    }

    private static void checkIndex(int index, int count, String what) {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException(what + " " + index + " of " + count);
    }
}
