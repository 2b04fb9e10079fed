package dev.isthmus.runtime.abi;

/**
 * The table of a module compiled lazily ({@code options.Compilation}): native memory shared by all its instances,
 * one 16-byte row per function (function index space, imports' rows unused), its address in every instance's
 * {@link VmContextLayout#lazyTable()}.
 *
 * <pre>
 *   row(f) = table + 16 f
 *   ┌──────────────────────────────┬──────────────┬──────────────┐
 *   │ entry   u64                  │ budget  i32  │ (unused) i32 │
 *   └──────────────────────────────┴──────────────┴──────────────┘
 *   entry   f's code, 0 until it is compiled: the lazy stub jumps here when set
 *   budget  what baseline code compiled for tier-up decrements at the entry and at every loop header;
 *           below zero it calls the tier-up stub (call [r15 + tierUpStub], r11d = f)
 * </pre>
 */
public final class LazyTable {
    private LazyTable() {
    }

    public static final int ROW_BYTES = 16;
    public static final int ENTRY = 0;
    public static final int BUDGET = 8;

    /** The offset of function {@code f}'s entry word from the table's start. */
    public static long entry(int f) {
        return (long) ROW_BYTES * f + ENTRY;
    }

    /** The offset of function {@code f}'s budget from the table's start. */
    public static long budget(int f) {
        return (long) ROW_BYTES * f + BUDGET;
    }

    /** The table's size for {@code functionCount} functions. */
    public static long bytes(int functionCount) {
        return (long) ROW_BYTES * Math.max(functionCount, 1);
    }
}
