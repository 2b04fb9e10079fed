package dev.isthmus.binary;

import dev.isthmus.model.CustomSection;
import dev.isthmus.model.DataSegment;
import dev.isthmus.model.ElementSegment;
import dev.isthmus.model.Export;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.Global;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.MemoryType;
import dev.isthmus.model.NameSection;
import dev.isthmus.model.TableType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.model.WasmVersion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decodes a WebAssembly binary module (2.0, or 3.0 as far as {@link WasmVersion} says) into the {@link WasmModule} model, rejecting every malformed module with
 * a {@link DecodeException} worded as the spec test suite words it. The result is not validated.
 *
 * <pre>
 *   module  ::= magic version section*
 *   magic   ::= 0x00 0x61 0x73 0x6D                  "\0asm"
 *   version ::= 0x01 0x00 0x00 0x00
 *   section ::= id:byte size:u32 contents(size)      non-custom sections at most once, in {@link SectionId} order
 * </pre>
 *
 * <p>Every function body is scanned for well-formedness here. After the last section, the function and code
 * sections must agree in length, the data count (if present) must match the data section, and a body that uses
 * {@code memory.init} or {@code data.drop} needs a data count section.
 *
 * <p>Garbage input only ever produces a {@link DecodeException}: every count and length is checked
 * against the bytes that remain before anything is allocated, and the work is linear in the input size.
 */
public final class ModuleDecoder {
    private static final int MAGIC = 0x6D736100;     // "\0asm" read little-endian
    private static final int VERSION = 1;
    private static final int HEADER_SIZE = 8;
    private static final String NAME_SECTION = "name";

    private final byte[] bytes;
    private final ModuleReader in;

    private List<FuncType> types = List.of();
    private List<Import> imports = List.of();
    private List<Integer> functions = List.of();
    private List<TableType> tables = List.of();
    private List<MemoryType> memories = List.of();
    private List<Global> globals = List.of();
    private List<Export> exports = List.of();
    private int startFunction = WasmModule.NO_START;
    private List<ElementSegment> elements = List.of();
    private long dataCount = WasmModule.NO_DATA_COUNT;
    private List<FunctionBody> codes = List.of();
    private boolean codeUsesDataIndex;
    private List<DataSegment> data = List.of();
    private List<Integer> tags = List.of();
    private List<Integer> recGroupSizes = List.of();
    private final List<CustomSection> customSections = new ArrayList<>();
    private NameSection names;

    private final WasmVersion version;

    private ModuleDecoder(byte[] bytes, WasmVersion version) {
        this.bytes = bytes;
        this.version = version;
        this.in = new ModuleReader(bytes, Math.min(HEADER_SIZE, bytes.length), version.multiMemory());
        in.typedReferences(version.functionReferences());
    }

    /**
     * Decodes a binary module.
     *
     * @throws DecodeException if the bytes are not a well-formed WebAssembly 2.0 module
     */
    public static WasmModule decode(byte[] bytes) {
        return decode(bytes, WasmVersion.DEFAULT);
    }

    /**
     * Decodes a binary module by the rules of {@code version} (2.0 finds 3.0's type encodings malformed).
     *
     * @throws DecodeException if the bytes are not a well-formed module of that version
     */
    public static WasmModule decode(byte[] bytes, WasmVersion version) {
        Objects.requireNonNull(bytes, "bytes");
        return new ModuleDecoder(bytes, Objects.requireNonNull(version, "version")).module();
    }

    private WasmModule module() {
        checkHeader();
        int lastOrder = 0;
        while (!in.atEnd()) {
            int idAt = in.position();
            SectionId id = SectionId.fromId(in.u8());
            if (id == null) throw new DecodeException("malformed section id", null, idAt, -1);
            if (id != SectionId.CUSTOM) {
                if (id.order() <= lastOrder) {
                    throw new DecodeException("unexpected content after last section", null, idAt, -1);
                }
                lastOrder = id.order();
            }
            in.inSection(id.sectionName());
            int size = in.length();
            int start = in.position();
            section(id, start + size);
            if (in.position() != start + size) throw in.malformed("section size mismatch", start);
            in.inSection(null);
        }
        checkConsistency();
        return new WasmModule(types, imports, functions, tables, memories, globals, exports, startFunction,
                elements, (int) dataCount, codes, data, customSections, names, tags, recGroupSizes);
    }

    private void checkHeader() {
        ByteReader header = new ByteReader(bytes, 0, bytes.length, 0, "unexpected end");
        if (header.f32Bits() != MAGIC) throw new DecodeException("magic header not detected", 0);
        if (header.f32Bits() != VERSION) throw new DecodeException("unknown binary version", 4);
    }

    private void section(SectionId id, int end) {
        switch (id) {
            case CUSTOM -> custom(end);
            case TYPE -> {
                TypeSectionDecoder.Types t = TypeSectionDecoder.decode(in);
                types = t.types();
                recGroupSizes = t.recGroupSizes();
            }
            case IMPORT -> imports = ImportSectionDecoder.decode(in);
            case FUNCTION -> functions = in.vector(in::index);
            case TABLE -> tables = in.vector(in::definedTable);
            case MEMORY -> memories = in.vector(in::memoryType);
            case TAG -> {
                if (!version.functionReferences()) throw in.malformed("malformed section id", in.position());
                tags = in.vector(in::tagType);
            }
            case GLOBAL -> globals = in.vector(() -> new Global(in.globalType(), in.constExpr()));
            case EXPORT -> exports = ExportSectionDecoder.decode(in);
            case START -> startFunction = in.index();
            case ELEMENT -> elements = ElementSectionDecoder.decode(in);
            case DATA_COUNT -> dataCount = in.u32();
            case CODE -> {
                CodeSectionDecoder.Result code = CodeSectionDecoder.decode(in, importedFunctions());
                codes = code.bodies();
                codeUsesDataIndex = code.usesDataIndex();
            }
            case DATA -> data = DataSectionDecoder.decode(in);
        }
    }

    /**
     * A custom section: a name, then a payload the module's meaning does not depend on. The name must still be
     * well formed and fit the section. A "name" section is decoded leniently (the first one counts).
     */
    private void custom(int end) {
        int at = in.position();
        String name = in.name();
        int payloadAt = in.position();
        if (payloadAt > end) throw in.malformed(ModuleReader.END_OF_INPUT, end);
        in.bytes().skip(end - payloadAt);
        customSections.add(new CustomSection(name, Arrays.copyOfRange(bytes, payloadAt, end), at));
        if (name.equals(NAME_SECTION) && names == null) names = NameSectionDecoder.decode(bytes, payloadAt, end);
    }

    private int importedFunctions() {
        int n = 0;
        for (Import i : imports) if (i.desc() instanceof ImportDesc.Func) n++;
        return n;
    }

    private void checkConsistency() {
        int end = bytes.length;
        if (functions.size() != codes.size()) {
            throw new DecodeException("function and code section have inconsistent lengths", end);
        }
        if (dataCount != WasmModule.NO_DATA_COUNT && dataCount != data.size()) {
            throw new DecodeException("data count and data section have inconsistent lengths", end);
        }
        if (dataCount == WasmModule.NO_DATA_COUNT && codeUsesDataIndex) {
            throw new DecodeException("data count section required", end);
        }
    }
}
