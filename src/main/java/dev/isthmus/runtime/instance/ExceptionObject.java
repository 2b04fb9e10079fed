package dev.isthmus.runtime.instance;

import java.util.Arrays;
import java.util.Objects;

/**
 * A thrown WebAssembly exception as the runtime holds it: the tag (by identity) and the payload as raw values, two
 * 8-byte words per value (low, high: only a v128 uses the high word), in the order of the tag's parameters. An
 * {@code exnref} in wasm code is a handle of one of these ({@link ExnRefs}); Java sees it as the API's exception.
 */
public final class ExceptionObject {
    private final TagInstance tag;
    private final long[] payload;
    /** The API's view of this exception, made once (so an exnref keeps its identity across the boundary). */
    private volatile Object view;

    public ExceptionObject(TagInstance tag, long[] payload) {
        this.tag = Objects.requireNonNull(tag, "tag");
        if (payload.length != 2 * tag.type().params().size()) {
            throw new IllegalArgumentException("payload of " + payload.length / 2 + " values for " + tag);
        }
        this.payload = payload.clone();
    }

    public TagInstance tag() {
        return tag;
    }

    /** Raw word {@code i} of the payload (value {@code i / 2}, low word for even {@code i}). */
    public long word(int i) {
        return payload[i];
    }

    /** A copy of the payload's words. */
    public long[] words() {
        return payload.clone();
    }

    /** The API view, made by {@code make} on first use. */
    public Object view(java.util.function.Function<ExceptionObject, Object> make) {
        Object v = view;
        if (v == null) {
            synchronized (this) {
                if (view == null) view = make.apply(this);
                v = view;
            }
        }
        return v;
    }

    /** Sets the API view this exception was made from (a host-made exception: the view came first). */
    public void setView(Object apiView) {
        view = apiView;
    }

    @Override
    public String toString() {
        return "exception " + tag + " " + Arrays.toString(payload);
    }
}
