package dev.isthmus.binary;

import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.ElementSegment;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.ValType;

import java.util.List;

/**
 * The element section (id 9): a vector of element segments in any of the eight encodings, selected by a u32 flag
 * word. Bit 0: passive or declarative (else active); bit 1: with an explicit table index (active) or declarative
 * (otherwise); bit 2: items are expressions with a reference type (else function indices with an element kind).
 * <pre>
 *   flags  mode         table     offset  type          items
 *   0      active       0         expr    (funcref)     vec(funcidx)
 *   1      passive                        elemkind      vec(funcidx)
 *   2      active       tableidx  expr    elemkind      vec(funcidx)
 *   3      declarative                    elemkind      vec(funcidx)
 *   4      active       0         expr    (funcref)     vec(expr)
 *   5      passive                        reftype       vec(expr)
 *   6      active       tableidx  expr    reftype       vec(expr)
 *   7      declarative                    reftype       vec(expr)
 * </pre>
 * Every encoding is normalised to a list of constant expressions; function indices become {@code ref.func i}.
 * The only element kind is 0x00 (funcref).
 */
final class ElementSectionDecoder {
    private static final int PASSIVE_OR_DECLARATIVE = 1;
    private static final int EXPLICIT_TABLE_OR_DECLARATIVE = 2;
    private static final int EXPRESSIONS = 4;

    private ElementSectionDecoder() {}

    static List<ElementSegment> decode(ModuleReader r) {
        return r.vector(() -> segment(r));
    }

    private static ElementSegment segment(ModuleReader r) {
        int at = r.position();
        long flags = r.u32();
        if (flags > 7) throw r.malformed("malformed elements segment kind", at);

        SegmentMode mode;
        int table = 0;
        ConstExpr offset = null;
        if ((flags & PASSIVE_OR_DECLARATIVE) == 0) {
            mode = SegmentMode.ACTIVE;
            if ((flags & EXPLICIT_TABLE_OR_DECLARATIVE) != 0) table = r.index();
            offset = r.constExpr();
        } else {
            mode = (flags & EXPLICIT_TABLE_OR_DECLARATIVE) != 0 ? SegmentMode.DECLARATIVE : SegmentMode.PASSIVE;
        }

        // flags 0 and 4 leave the type implicit (funcref); all others spell it out
        boolean typeImplicit = flags == 0 || flags == 4;
        ValType type;
        List<ConstExpr> items;
        if ((flags & EXPRESSIONS) == 0) {
            type = typeImplicit ? ValType.FUNCREF : elementKind(r);
            // 3.0: function indices are non-null references, a segment of them has type (ref func)
            if (r.typedReferencesAllowed()) type = ValType.ref(false, ValType.HEAP_FUNC);
            items = r.vector(() -> ConstExpr.refFunc(r.index()));
        } else {
            type = typeImplicit ? ValType.FUNCREF : r.referenceType();
            items = r.vector(r::constExpr);
        }
        return new ElementSegment(type, mode, table, offset, items);
    }

    private static ValType elementKind(ModuleReader r) {
        int at = r.position();
        if (r.u8() != 0x00) throw r.malformed("malformed element kind", at);
        return ValType.FUNCREF;
    }
}
