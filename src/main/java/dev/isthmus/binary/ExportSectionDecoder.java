package dev.isthmus.binary;

import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;

import java.util.List;

/**
 * The export section (id 7): a vector of exports.
 * <pre>
 *   export ::= name exportdesc
 *   exportdesc ::= 0x00 funcidx | 0x01 tableidx | 0x02 memidx | 0x03 globalidx
 * </pre>
 * Duplicate names and unknown indices are validation errors, not checked here.
 */
final class ExportSectionDecoder {
    private ExportSectionDecoder() {}

    static List<Export> decode(ModuleReader r) {
        return r.vector(() -> export(r));
    }

    private static Export export(ModuleReader r) {
        String name = r.name();
        int at = r.position();
        ExternKind kind = ExternKind.fromCode(r.u8());
        if (kind == null || kind == ExternKind.TAG && !r.typedReferencesAllowed()) {
            throw r.malformed("malformed export kind", at);
        }
        return new Export(name, kind, r.index());
    }
}
