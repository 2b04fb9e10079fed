package dev.isthmus.runtime.instance;

/**
 * What instantiation needs from a module's loaded machine code: absolute addresses of its functions and of its
 * per-type adapters (see {@link dev.isthmus.runtime.abi.ValueBuffer} for the adapters' contract). The code must be
 * executable and registered with the signal shim for as long as any instance of it lives.
 */
public interface ModuleCode {
    /** The code address of defined function {@code functionIndex} (function index space, imports first). */
    long functionAddress(int functionIndex);

    /** The entry adapter for the module's type {@code typeIndex}: {@code long adapter(vmctx, code, buffer)}. */
    long entryAdapterAddress(int typeIndex);

    /** The host-call adapter for the module's type {@code typeIndex} (r15 = a host record). */
    long hostAdapterAddress(int typeIndex);

    /**
     * The lifetime of the code's mapping, or null when the code lives as long as its owner keeps it: each instance
     * holds a use of it from creation until it is freed, so the code outlives every instance of it.
     */
    default NativeLifetime lifetime() {
        return null;
    }

    // ---------------------------------------------------------------- code compiled when first called

    /**
     * Whether functions are compiled when first called ({@code options.Compilation#lazy()}): then every instance
     * {@link #attach attaches} its context, and the runtime's lazy-compilation and tier-up stubs call back here.
     */
    default boolean compilesOnCall() {
        return false;
    }

    /**
     * Called when an instance's func refs are written (before any of its code runs): fills the context's lazy-table
     * field and from now on keeps the context's func refs of defined functions pointing at their newest code, until
     * {@link #detach}.
     */
    default void attach(long vmctx, dev.isthmus.runtime.abi.VmContextLayout layout) {
    }

    /** The instance of {@code vmctx} is being freed: its func refs are no longer updated. */
    default void detach(long vmctx) {
    }

    /**
     * What the lazy-compilation stub calls for defined function {@code function} (function index space), which has
     * no code yet as far as the stub saw: compiles it unless another thread did, publishes it, and returns its entry.
     */
    default long compileOnCall(int function) {
        throw new UnsupportedOperationException("compiled eagerly");
    }

    /** What tier-up budget code calls when {@code function}'s budget is used up: queues it for the optimizing tier. */
    default void tierUp(int function) {
    }

    /**
     * Makes sure {@code function} has code that never calls into the runtime by itself (compiled, final tier, no
     * tier-up budget), so that it may be entered through a critical downcall ({@link BoundedLeaf}). Eager code
     * always has.
     */
    default void prepareCriticalEntry(int function) {
    }
}
