package dev.isthmus.binary;

import dev.isthmus.model.ValType;

/**
 * The type of a {@code block}, {@code loop} or {@code if}: empty, a single result type, or an index into the type
 * section (multi-value).
 *
 * @param result    the single result type, or null
 * @param typeIndex the type index, or -1
 */
public record BlockType(ValType result, int typeIndex) {
    public static final BlockType EMPTY = new BlockType(null, -1);

    public boolean isEmpty() {
        return result == null && typeIndex < 0;
    }

    public boolean isTypeIndex() {
        return typeIndex >= 0;
    }
}
