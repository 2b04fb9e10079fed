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
}
