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
 *   │ throwStub      the exception-throw stub    │   call [r15+throwStub] (exception handling; these 8 bytes were
 *   │                spare, so no later offset moved and every listing stayed the same)
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
 *   ├────────────────────────────────────────────┤
 *   │ laterBuiltins[]                            │   builtins added after the first array was laid out
 *   │                                            │   (memory.grow / memory.init of memories 1..n-1)
 *   ├────────────────────────────────────────────┤
 *   │ memories[memoryCount - 1]  (16 bytes each) │   memories 1..n-1 (multiple memories):
 *   │   base         base address of memory k    │     [r15 + memoryBase(k)], one load per access
 *   │   size         current size in bytes       │     memory.size, explicit bounds checks of memory k
 *   ├────────────────────────────────────────────┤
 *   │ lazyTable      the module's LazyTable      │   functions compiled when first called (Compilation):
 *   │ tierUpStub     the tier-up stub            │     call [r15 + tierUpStub] with r11d = function index
 *   └────────────────────────────────────────────┘
 * </pre>
 *
 * Memory 0 keeps its two words at the top, so its code is what it was before multiple memories; the other memories
 * come after every other field, so adding them moved no offset that code compiled for a single memory uses.
 * {@link #memoryBase(int)} and {@link #memorySize(int)} give either place.
 *
 * Calling function {@code f}: defined in this module → {@code call rel32} to its code (compiled lazily:
 * {@code call [r15 + funcRef(f)]}, the callee may have no code yet); imported →
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
    private final int memoryCount;
    private final long builtins;
    private final long laterBuiltins;
    private final long memories;
    private final long funcRefs;
    private final long tables;
    private final long globals;

    /** The builtins of the first array ({@code builtins}); the later ones are in {@code laterBuiltins}. */
    static final int FIRST_BUILTINS = Builtin.MEMORY_GROW_N.ordinal();
    /** One memory beyond memory 0: its base and its current size in bytes. */
    public static final StructLayout MEMORY_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("base"), JAVA_LONG.withName("size")).withName("memory");

    private VmContextLayout(int functionCount, int tableCount, int globalCount, int memoryCount) {
        this.functionCount = functionCount;
        this.tableCount = tableCount;
        this.globalCount = globalCount;
        this.memoryCount = memoryCount;
        this.layout = MemoryLayout.structLayout(
                JAVA_LONG.withName("memoryBase"),
                JAVA_LONG.withName("memorySize"),
                JAVA_LONG.withName("raiseStub"),
                JAVA_LONG.withName("throwStub"),
                JAVA_LONG.withName("runtime"),
                MemoryLayout.sequenceLayout(FIRST_BUILTINS, JAVA_LONG).withName("builtins"),
                MemoryLayout.sequenceLayout(functionCount, FuncRefLayout.LAYOUT).withName("funcRefs"),
                MemoryLayout.sequenceLayout(tableCount, JAVA_LONG).withName("tables"),
                MemoryLayout.sequenceLayout(globalCount, JAVA_LONG).withName("globals"),
                JAVA_LONG.withName("fuel"),
                JAVA_LONG.withName("fuelStub"),
                MemoryLayout.sequenceLayout(Builtin.values().length - FIRST_BUILTINS, JAVA_LONG)
                        .withName("laterBuiltins"),
                MemoryLayout.sequenceLayout(Math.max(memoryCount - 1, 0), MEMORY_LAYOUT).withName("memories"),
                JAVA_LONG.withName("lazyTable"),
                JAVA_LONG.withName("tierUpStub"))
                .withName("vmctx");
        this.builtins = layout.byteOffset(groupElement("builtins"));
        this.funcRefs = layout.byteOffset(groupElement("funcRefs"));
        this.tables = layout.byteOffset(groupElement("tables"));
        this.globals = layout.byteOffset(groupElement("globals"));
        this.laterBuiltins = layout.byteOffset(groupElement("laterBuiltins"));
        this.memories = layout.byteOffset(groupElement("memories"));
    }

    /** The context layout of {@code module}. */
    public static VmContextLayout of(WasmModule module) {
        return new VmContextLayout(module.functionCount(), module.tableCount(), module.globalCount(),
                module.memoryCount());
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

    /** The word holding memory {@code index}'s base address (memory 0: {@link #memoryBase()}). */
    public long memoryBase(int index) {
        if (index == 0) return memoryBase();
        checkIndex(index, memoryCount, "memory");
        return memories + MEMORY_LAYOUT.byteSize() * (index - 1);
    }

    /** The word holding memory {@code index}'s current size in bytes (memory 0: {@link #memorySize()}). */
    public long memorySize(int index) {
        if (index == 0) return memorySize();
        checkIndex(index, memoryCount, "memory");
        return memories + MEMORY_LAYOUT.byteSize() * (index - 1) + 8;
    }

    /**
     * The exception-throw stub (exception handling): {@code mov rdi, r15; mov rsi, op; mov rdx, payload;
     * call [r15 + throwStub]}, see {@code runtime.instance.ExceptionDispatch}. Once 8 spare bytes, so no other
     * offset moved.
     */
    public long throwStub() {
        return layout.byteOffset(groupElement("throwStub"));
    }

    public long raiseStub() {
        return layout.byteOffset(groupElement("raiseStub"));
    }

    /**
     * The address of the module's {@link LazyTable} (0 for code compiled eagerly): a function's current entry and
     * its tier-up budget.
     */
    public long lazyTable() {
        return layout.byteOffset(groupElement("lazyTable"));
    }

    /**
     * The stub baseline code compiled for tier-up calls when a function's budget is used up ({@code mov r11d, index;
     * call [r15 + tierUpStub]}): it queues the function for the optimizing tier and preserves every register.
     */
    public long tierUpStub() {
        return layout.byteOffset(groupElement("tierUpStub"));
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
        int k = builtin.ordinal();
        return k < FIRST_BUILTINS ? builtins + 8L * k : laterBuiltins + 8L * (k - FIRST_BUILTINS);
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
