package dev.isthmus.runtime.host;

import java.util.function.Function;

/**
 * A wasm exception travelling through Java: what the runtime parks when an exception leaves the wasm frames of an
 * entry uncaught (the entry's caller turns it into the API's exception), and how a host function's wasm exception is
 * recognised by the host-call bridge, which then throws it on in the wasm frames around the call instead of
 * trapping. {@link #exception()} is the runtime's exception object (kept as Object: this package is below it).
 */
public final class ThrowSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static volatile Function<Throwable, Object> unwrap = t -> null;

    private final transient Object exception;

    public ThrowSignal(Object exception) {
        super("uncaught wasm exception", null, false, false);
        this.exception = exception;
    }

    /** The runtime's exception object. */
    public Object exception() {
        return exception;
    }

    /**
     * Installs how the API's exception type maps to the runtime's object (the API calls this once; any other
     * throwable maps to null).
     */
    public static void installUnwrap(Function<Throwable, Object> f) {
        unwrap = f;
    }

    /** The runtime exception object {@code t} carries, or null when {@code t} is no wasm exception. */
    public static Object exceptionOf(Throwable t) {
        if (t instanceof ThrowSignal s) return s.exception;
        return unwrap.apply(t);
    }
}
