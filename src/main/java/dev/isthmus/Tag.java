package dev.isthmus;

import dev.isthmus.model.FuncType;
import dev.isthmus.runtime.instance.TagInstance;

import java.util.Objects;

/**
 * An exception tag (WebAssembly exception handling): what a {@code throw} names and a {@code catch} matches. Tags are
 * compared by identity — {@code new Tag(type)} twice gives two tags that never catch each other's exceptions, like
 * two instances of one module. A tag can be created by the host ({@link #Tag(FuncType)}) and given to a module as an
 * import ({@link Imports.Builder#tag}), or taken from an instance's exports ({@link Instance#tag}).
 *
 * <p>The tag's type is a function type without results: its parameters are the exception's payload.
 */
public final class Tag {
    private final TagInstance runtime;

    /** A new tag whose payload has the parameter types of {@code type} (which must have no results). */
    public Tag(FuncType type) {
        this(new TagInstance(Objects.requireNonNull(type, "type")));
    }

    Tag(TagInstance runtime) {
        this.runtime = runtime;
    }

    /** The tag's type: the payload's value types are its parameters. */
    public FuncType type() {
        return runtime.type();
    }

    TagInstance runtime() {
        return runtime;
    }

    /** Whether {@code other} is this same tag (an imported tag is its exporter's tag). */
    @Override
    public boolean equals(Object other) {
        return other instanceof Tag t && t.runtime == runtime;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(runtime);
    }

    @Override
    public String toString() {
        return "Tag" + runtime.type().params();
    }
}
