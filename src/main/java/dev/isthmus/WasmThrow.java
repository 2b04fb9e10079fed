package dev.isthmus;

import dev.isthmus.model.ValType;
import dev.isthmus.runtime.instance.ExceptionObject;

import java.util.List;
import java.util.Objects;

/**
 * A WebAssembly exception (exception handling): a {@link Tag} and its payload. It is what a call throws when wasm
 * code throws an exception that no wasm handler catches, and it is the Java value of an {@code exnref}.
 *
 * <p>A host function may throw one to throw a wasm exception at its call site: wasm handlers around the call can
 * catch it (by its tag), and if none does it leaves to Java again as this same object. Any other exception thrown by a
 * host function is not a wasm exception: no wasm {@code catch_all} sees it, it unwinds every wasm frame and reaches
 * the caller (as {@link HostException} or unchanged), as in wasmtime.
 *
 * <p>The payload's Java types are those of {@link WasmValues}: Integer, Long, Float, Double, V128, FunctionRef,
 * any Object (externref), WasmThrow (exnref).
 */
public final class WasmThrow extends WasmException {
    private static final long serialVersionUID = 1L;

    private final transient ExceptionObject runtime;

    static {
        // the host-call bridge recognises this type as a wasm exception to throw on at the call site
        dev.isthmus.runtime.host.ThrowSignal.installUnwrap(t -> t instanceof WasmThrow w ? w.runtime : null);
    }

    /** A new exception of {@code tag} with {@code payload} (one Java value per parameter of the tag's type). */
    public WasmThrow(Tag tag, Object... payload) {
        this(make(Objects.requireNonNull(tag, "tag"), payload));
        runtime.setView(this);
    }

    private WasmThrow(ExceptionObject runtime) {
        super("uncaught wasm exception " + runtime.tag(), null);
        this.runtime = runtime;
    }

    private static ExceptionObject make(Tag tag, Object[] payload) {
        List<ValType> types = tag.type().params();
        if (payload.length != types.size()) {
            throw new IllegalArgumentException("tag " + tag.type() + " takes " + types.size() + " values, not "
                    + payload.length);
        }
        long[] words = new long[2 * payload.length];
        for (int i = 0; i < payload.length; i++) {
            ValType t = types.get(i);
            if (!WasmValues.accepts(t, payload[i])) {
                throw new IllegalArgumentException("payload value " + i + " must be " + WasmValues.boxedName(t));
            }
            words[2 * i] = WasmValues.toRaw(t, payload[i]);
            words[2 * i + 1] = WasmValues.toRawHigh(t, payload[i]);
        }
        return new ExceptionObject(tag.runtime(), words);
    }

    /** The API view of a runtime exception (one per exception). */
    static WasmThrow of(ExceptionObject runtime) {
        return (WasmThrow) runtime.view(WasmThrow::new);
    }

    /** The tag the exception was thrown with. */
    public Tag tag() {
        return new Tag(runtime.tag());
    }

    /** The payload, one Java value per parameter of the tag's type. */
    public Object[] payload() {
        List<ValType> types = runtime.tag().type().params();
        Object[] out = new Object[types.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = WasmValues.fromRaw(types.get(i), runtime.word(2 * i), runtime.word(2 * i + 1));
        }
        return out;
    }

    ExceptionObject runtime() {
        return runtime;
    }
}
