package dev.isthmus.binary;

import dev.isthmus.model.ExternKind;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;

import java.util.List;

/**
 * The import section (id 2): a vector of imports.
 * <pre>
 *   import ::= name(module) name(field) importdesc
 *   importdesc ::= 0x00 typeidx | 0x01 tabletype | 0x02 memtype | 0x03 globaltype
 * </pre>
 * The kind is a plain byte: anything else, including a byte with its high bit set, is "malformed import kind".
 */
final class ImportSectionDecoder {
    private ImportSectionDecoder() {}

    static List<Import> decode(ModuleReader r) {
        return r.vector(() -> importEntry(r));
    }

    private static Import importEntry(ModuleReader r) {
        String module = r.name();
        String field = r.name();
        int at = r.position();
        ExternKind kind = ExternKind.fromCode(r.u8());
        if (kind == null) throw r.malformed("malformed import kind", at);
        ImportDesc desc = switch (kind) {
            case FUNC -> new ImportDesc.Func(r.index());
            case TABLE -> new ImportDesc.Table(r.tableType());
            case MEMORY -> new ImportDesc.Memory(r.memoryType());
            case GLOBAL -> new ImportDesc.Global(r.globalType());
            case TAG -> {
                if (!r.typedReferencesAllowed()) throw r.malformed("malformed import kind", at);
                yield new ImportDesc.Tag(r.tagType());
            }
        };
        return new Import(module, field, desc);
    }
}
