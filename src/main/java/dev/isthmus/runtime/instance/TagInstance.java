package dev.isthmus.runtime.instance;

import dev.isthmus.model.FuncType;

import java.util.Objects;

/**
 * An exception tag at run time: its identity is the tag (two instances of one module have different tags; an
 * imported tag is the exporter's object), its type the payload's value types ({@link FuncType#params()}; the
 * results are empty).
 */
public final class TagInstance {
    private final FuncType type;
    private final int typeId;

    /** A tag of {@code type} whose canonical type id ({@code runtime.abi.TypeIds}) is {@code typeId}. */
    public TagInstance(FuncType type, int typeId) {
        this.type = Objects.requireNonNull(type, "type");
        if (!type.results().isEmpty()) throw new IllegalArgumentException("a tag type has no results: " + type);
        this.typeId = typeId;
    }

    /** A tag made by the host: its type's id as a type of its own (no recursion group). */
    public TagInstance(FuncType type) {
        this(type, dev.isthmus.runtime.abi.TypeIds.of(type));
    }

    /** The canonical id of the tag's type: imports match when the ids are equal. */
    public int typeId() {
        return typeId;
    }

    /** The tag's type: the payload is its parameters. */
    public FuncType type() {
        return type;
    }

    @Override
    public String toString() {
        return "tag" + type.params();
    }
}
