package dev.isthmus.wasi;

/**
 * Thrown by {@code proc_exit}: unwinds the wasm frames (the API parks a host exception and rethrows it to the Java
 * caller) and carries the program's exit code. The library never calls {@link System#exit}.
 */
public final class WasiExit extends RuntimeException {
    private final int code;

    public WasiExit(int code) {
        super("proc_exit(" + code + ")", null, false, false);
        this.code = code;
    }

    /** The code passed to {@code proc_exit}. */
    public int code() {
        return code;
    }
}
