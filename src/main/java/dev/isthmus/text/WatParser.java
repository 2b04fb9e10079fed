package dev.isthmus.text;

import dev.isthmus.model.ValType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Parses one text-format module and writes its binary encoding.
 *
 * <p>Two passes over the module fields: the first ({@link FieldDeclarer}) gives every definition its index and
 * records {@code $id}s and explicit types, so that names can be used before their definition; the second (this
 * class) encodes each field into its section of {@link ModuleSections}. Function bodies and constant expressions go
 * to {@link InstructionParser}, element and data segments to {@link SegmentParser}.
 */
final class WatParser {
    private static final int KIND_FUNC = 0;
    private static final int KIND_TABLE = 1;
    private static final int KIND_MEMORY = 2;
    private static final int KIND_GLOBAL = 3;
    private static final int KIND_TAG = 4;

    private final TokenStream in;
    private final Lexer lexer;
    private final ModuleContext ctx = new ModuleContext();
    private final ModuleSections sections = new ModuleSections();
    private final SegmentParser segments;
    /** The next index in the function, table, memory and global index spaces (by KIND_*). */
    private final int[] nextIndex = new int[5];
    private final boolean debugNames;
    private String moduleId;
    private final Map<Integer, SortedMap<Integer, String>> localNames = new HashMap<>();

    private WatParser(String text, boolean debugNames, boolean memory64) {
        ctx.memory64 = memory64;
        this.lexer = new Lexer(text);
        this.in = new TokenStream(lexer);
        this.segments = new SegmentParser(in, ctx, sections);
        this.debugNames = debugNames;
    }

    /** The binary module; with {@code debugNames}, plus a "name" section holding the text's $ids. */
    static byte[] toBinary(String text, boolean debugNames, boolean memory64) {
        return new WatParser(text, debugNames, memory64).module();
    }

    /** {@code (module $id? field*)}, or the fields alone. */
    private byte[] module() {
        boolean wrapped = in.atForm("module");
        if (wrapped) {
            in.next();
            in.next();
            moduleId = in.acceptId();
            if (in.atKeyword("binary") || in.atKeyword("quote")) return binaryOrQuote();
        }
        int fieldsStart = in.mark();
        in.typeNames(ctx.types);
        FieldDeclarer.declare(in, ctx);
        in.reset(fieldsStart);
        fields();
        if (wrapped) in.expectRParen();
        if (!in.at(Token.Kind.EOF)) throw in.unexpected(in.peek());
        byte[] names = debugNames
                ? NameSectionWriter.write(moduleId, ctx.funcs.names(), ctx.funcs.size(), localNames)
                : null;
        return sections.assemble(ctx.types, ctx.usesDataCount, names);
    }

    private byte[] binaryOrQuote() {
        boolean binary = in.next().text().equals("binary");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (in.at(Token.Kind.STRING)) bytes.writeBytes(in.next().bytes());
        in.expectRParen();
        if (!in.at(Token.Kind.EOF)) throw in.unexpected(in.peek());
        if (binary) return bytes.toByteArray();
        return toBinary(Wat.quotedModuleText(Utf8.decodeKeepingMalformed(bytes.toByteArray())), debugNames,
                ctx.memory64);
    }

    private void fields() {
        while (in.at(Token.Kind.LPAREN)) {
            in.next();
            Token kw = in.next();
            switch (kw.text()) {
                case "type", "rec" -> in.skipRestOfForm();
                case "import" -> importField();
                case "func" -> funcField();
                case "table" -> tableField();
                case "memory" -> memoryField();
                case "global" -> globalField();
                case "tag" -> tagField();
                case "export" -> exportField();
                case "start" -> {
                    if (sections.start != null) throw in.error("multiple start sections", kw);
                    sections.start = ctx.funcs.resolve(in.next(), lexer);
                    in.expectRParen();
                }
                case "elem" -> segments.elemField();
                case "data" -> segments.dataField();
                default -> throw in.unexpected(kw);
            }
        }
    }

    /** An import or export name: a string that must be valid UTF-8. */
    private byte[] name() {
        Token t = in.expect(Token.Kind.STRING);
        lexer.checkUtf8(t.bytes(), t.start());
        return t.bytes();
    }

    private void importField() {
        byte[] module = name();
        byte[] field = name();
        in.expect(Token.Kind.LPAREN);
        Token kind = in.next();
        in.acceptId();
        importDescription(module, field, kind);
        in.expectRParen();
        in.expectRParen();
    }

    /** Writes an import entry; the description's {@code (kind $id?} has been consumed. */
    private void importDescription(byte[] module, byte[] field, Token kind) {
        BinaryWriter entry = sections.imports.add().sized(module).sized(field);
        switch (kind.text()) {
            case "func" -> {
                entry.u8(KIND_FUNC).u32(TypeUse.parse(in, ctx).resolve(ctx, in));
                nextIndex[KIND_FUNC]++;
            }
            case "table" -> {
                tableType(entry.u8(KIND_TABLE));
                nextIndex[KIND_TABLE]++;
            }
            case "memory" -> {
                limits(entry.u8(KIND_MEMORY));
                nextIndex[KIND_MEMORY]++;
            }
            case "global" -> {
                globalType(entry.u8(KIND_GLOBAL));
                nextIndex[KIND_GLOBAL]++;
            }
            case "tag" -> {
                entry.u8(KIND_TAG).u8(0x00).u32(TypeUse.parse(in, ctx).resolve(ctx, in));
                nextIndex[KIND_TAG]++;
            }
            default -> throw in.unexpected(kind);
        }
    }

    /**
     * Inline {@code (export "name")}s and an inline {@code (import "m" "n")} of a definition of {@code kind};
     * true if the definition was an import (then completely read).
     */
    private boolean inlineExportsAndImport(int kind, Token kw) {
        int index = nextIndex[kind];
        while (in.atForm("export")) {
            in.next();
            in.next();
            sections.exports.add().sized(name()).u8(kind).u32(index);
            in.expectRParen();
        }
        if (in.atForm("import")) {
            in.next();
            in.next();
            byte[] module = name();
            byte[] field = name();
            in.expectRParen();
            importDescription(module, field, kw);
            in.expectRParen();
            return true;
        }
        nextIndex[kind]++;
        return false;
    }

    /** A token standing for the field keyword, for error locations. */
    private Token fieldToken(String keyword) {
        Token t = in.peek();
        return new Token(Token.Kind.ATOM, keyword, t.start(), t.start(), null);
    }

    private void funcField() {
        Token kw = fieldToken("func");
        in.acceptId();
        int index = nextIndex[KIND_FUNC];
        if (inlineExportsAndImport(KIND_FUNC, kw)) return;
        TypeUse use = TypeUse.parse(in, ctx);
        sections.functions.add().u32(use.resolve(ctx, in));
        IndexSpace locals = new IndexSpace("local", "local");
        List<ValType> params = use.effectiveParams(ctx);
        for (int i = 0; i < params.size(); i++) {
            String id = use.hasInline() ? use.paramIds().get(i) : null;
            locals.add(id, kw, lexer);
        }
        List<ValType> localTypes = new ArrayList<>();
        List<String> localIds = new ArrayList<>();
        while (in.atForm("local")) {
            Token at = in.peek(1);
            int before = localIds.size();
            TypeUse.parseDeclarations(in, "local", localTypes, localIds);
            for (int i = before; i < localIds.size(); i++) locals.add(localIds.get(i), at, lexer);
        }
        BinaryWriter body = new BinaryWriter();
        writeLocals(body, localTypes);
        new InstructionParser(in, ctx, locals).expression(body);
        in.expectRParen();
        sections.codes.add().sized(body.toByteArray());
        localNames.put(index, locals.names());
    }

    /** Locals as runs of equal types: count, type. */
    private static void writeLocals(BinaryWriter body, List<ValType> types) {
        List<int[]> runs = new ArrayList<>();
        List<ValType> runTypes = new ArrayList<>();
        for (ValType t : types) {
            if (!runs.isEmpty() && runTypes.get(runs.size() - 1) == t) {
                runs.get(runs.size() - 1)[0]++;
            } else {
                runs.add(new int[] {1});
                runTypes.add(t);
            }
        }
        body.u32(runs.size());
        for (int i = 0; i < runs.size(); i++) body.u32(runs.get(i)[0]).valType(runTypes.get(i));
    }

    /** {@code limits reftype}, or {@code reftype (elem ...)} whose size is the number of elements. */
    private void tableField() {
        Token kw = fieldToken("table");
        in.acceptId();
        int index = nextIndex[KIND_TABLE];
        if (inlineExportsAndImport(KIND_TABLE, kw)) return;
        int mark = in.mark();
        boolean address64 = addressType();
        if (in.peek().is(Token.Kind.ATOM) && !TextNumbers.isNat(in.peek().text()) || in.atForm("ref")) {
            ValType type = TypeUse.refType(in);
            int count = segments.inlineTableElems(index, type, address64);
            in.expectRParen();
            sections.tables.add().valType(type).u8(address64 ? 0x05 : 0x01).u32(count).u32(count);
            return;
        }
        in.reset(mark);
        BinaryWriter table = new BinaryWriter();
        tableType(table);
        if (in.at(Token.Kind.RPAREN)) {
            sections.tables.add().append(table);
        } else {
            // a table with an initialiser expression (typed function references): 0x40 0x00 tabletype expr
            BinaryWriter init = new BinaryWriter();
            new InstructionParser(in, ctx, null).expression(init);
            sections.tables.add().u8(0x40).u8(0x00).append(table).append(init);
        }
        in.expectRParen();
    }

    /** {@code limits}, or {@code (data ...)} whose size in pages is rounded up from its byte length. */
    private void memoryField() {
        Token kw = fieldToken("memory");
        in.acceptId();
        int index = nextIndex[KIND_MEMORY];
        if (inlineExportsAndImport(KIND_MEMORY, kw)) return;
        int mark = in.mark();
        boolean address64 = addressType();
        if (in.atForm("data")) {
            long pages = (segments.inlineMemoryData(index, address64) + 65535L) / 65536L;
            in.expectRParen();
            sections.memories.add().u8(address64 ? 0x05 : 0x01).u32(pages).u32(pages);
            return;
        }
        in.reset(mark);
        limits(sections.memories.add());
        in.expectRParen();
    }

    private void globalField() {
        Token kw = fieldToken("global");
        in.acceptId();
        if (inlineExportsAndImport(KIND_GLOBAL, kw)) return;
        BinaryWriter entry = sections.globals.add();
        globalType(entry);
        new InstructionParser(in, ctx, null).expression(entry);
        in.expectRParen();
    }

    /** {@code (tag $id? exports? import? typeuse)}: attribute 0x00 (exception), then the type index. */
    private void tagField() {
        Token kw = fieldToken("tag");
        in.acceptId();
        if (inlineExportsAndImport(KIND_TAG, kw)) return;
        sections.tags.add().u8(0x00).u32(TypeUse.parse(in, ctx).resolve(ctx, in));
        in.expectRParen();
    }

    private void exportField() {
        byte[] name = name();
        in.expect(Token.Kind.LPAREN);
        Token kind = in.next();
        IndexSpace space = ctx.space(kind, in);
        int code = switch (kind.text()) {
            case "func" -> KIND_FUNC;
            case "table" -> KIND_TABLE;
            case "memory" -> KIND_MEMORY;
            case "tag" -> KIND_TAG;
            default -> KIND_GLOBAL;
        };
        sections.exports.add().sized(name).u8(code).u32(space.resolve(in.next(), lexer));
        in.expectRParen();
        in.expectRParen();
    }

    /** {@code limits reftype}, written as reftype then limits. */
    private void tableType(BinaryWriter out) {
        BinaryWriter limits = new BinaryWriter();
        limits(limits);
        out.valType(TypeUse.refType(in)).append(limits);
    }

    /**
     * {@code addrtype? min max?}: flag 0x00 min, or 0x01 min max; with the address type {@code i64} (memory64,
     * table64) the flags 0x04 and 0x05. The bounds are u64 in Wasm 3.0's text (whether they fit is the validator's
     * concern), u32 in 2.0's.
     */
    private void limits(BinaryWriter out) {
        int flags = addressType() ? 0x04 : 0x00;
        long min = limit(in.next());
        if (in.peek().is(Token.Kind.ATOM) && TextNumbers.isNat(in.peek().text())) {
            long max = limit(in.next());
            out.u8(flags | 0x01).u64(min).u64(max);
        } else {
            out.u8(flags).u64(min);
        }
    }

    /** An optional address type keyword: true after {@code i64}, false after {@code i32} or none (Wasm 3.0). */
    private boolean addressType() {
        if (!ctx.memory64 || !in.peek().is(Token.Kind.ATOM)) return false;
        String t = in.peek().text();
        if (!t.equals("i64") && !t.equals("i32")) return false;
        in.next();
        return t.equals("i64");
    }

    /** {@code valtype} or {@code (mut valtype)}: type byte then mutability byte. */
    private void globalType(BinaryWriter out) {
        if (in.atForm("mut")) {
            in.next();
            in.next();
            out.valType(TypeUse.valType(in)).u8(0x01);
            in.expectRParen();
        } else {
            out.valType(TypeUse.valType(in)).u8(0x00);
        }
    }

    /** A limit: u64 (Wasm 3.0) or u32 (2.0), "i32 constant out of range" beyond. */
    private long limit(Token t) {
        if (!t.is(Token.Kind.ATOM)) throw in.unexpected(t);
        try {
            return ctx.memory64 ? TextNumbers.u64(t.text()) : TextNumbers.u32(t.text());
        } catch (TextNumbers.LiteralException e) {
            boolean range = e.getMessage().equals("constant out of range");
            throw in.error(range ? "i32 constant out of range" : e.getMessage(), t);
        }
    }
}
