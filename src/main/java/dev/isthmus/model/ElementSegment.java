package dev.isthmus.model;

import java.util.List;

/**
 * An element segment. Every binary encoding is normalised to a list of constant expressions; function-index
 * encodings become {@code ref.func i} expressions (see {@link ConstExpr#refFunc}).
 *
 * @param type       the element reference type
 * @param mode       active, passive or declarative
 * @param tableIndex the target table (active segments only, else 0)
 * @param offset     the offset expression (active segments only, else null)
 * @param items      one constant expression per element
 */
public record ElementSegment(ValType type, SegmentMode mode, int tableIndex, ConstExpr offset, List<ConstExpr> items) {
    public ElementSegment {
        items = List.copyOf(items);
    }
}
