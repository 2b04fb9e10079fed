package dev.isthmus.text;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Parses one text-format module and writes its binary encoding.
 *
 * <p>Two passes over the module fields: the first ({@link #declare()}) gives every definition its index and
 * records {@code $id}s and explicit types, so that later passes can refer forward; the second ({@link #define()})
 * encodes each field into its section. Sections come out in the binary format's order:
 *
 * <pre>
 *   magic version | type | import | func | table | memory | global | export | start | elem | datacount | code | data
 * </pre>
 */
final class WatParser {
    private static final int KIND_FUNC = 0;
    private static final int KIND_TABLE = 1;
    private static final int KIND_MEMORY = 2;
    private static final int KIND_GLOBAL = 3;

    private final TokenStream in;
    private final Lexer lexer;
    private final ModuleContext ctx = new ModuleContext();

    private final BinaryWriter imports = new BinaryWriter();
    private final BinaryWriter functions = new BinaryWriter();
    private final BinaryWriter tables = new BinaryWriter();
    private final BinaryWriter memories = new BinaryWriter();
    private final BinaryWriter globals = new BinaryWriter();
    private final BinaryWriter exports = new BinaryWriter();
    private final BinaryWriter elems = new BinaryWriter();
    private final BinaryWriter codes = new BinaryWriter();
    private final BinaryWriter datas = new BinaryWriter();
    private int importCount, functionCount, tableCount, memoryCount, globalCount, exportCount, elemCount,
            dataCount;
    private final int[] indexCounters = new int[4];
    private Long start;
    private final boolean debugNames;
    private String moduleId;
    private final Map<Integer, SortedMap<Integer, String>> localNames = new HashMap<>();

    private WatParser(String text, boolean debugNames) {
        this.lexer = new Lexer(text);
        this.in = new TokenStream(lexer);
        this.debugNames = debugNames;
    }

    /** The binary module; with {@code debugNames}, plus a "name" section holding the text's $ids. */
    static byte[] toBinary(String text, boolean debugNames) {
        return new WatParser(text, debugNames).module();
    }

    private byte[] module() {
        boolean wrapped = in.atForm("module");
        if (wrapped) {
            in.next();
            in.next();
            moduleId = in.acceptId();
            if (in.atKeyword("binary") || in.atKeyword("quote")) return binaryOrQuote();
        }
        int fieldsStart = in.mark();
        declare();
        in.reset(fieldsStart);
        define();
        if (wrapped) in.expectRParen();
        if (!in.at(Token.Kind.EOF)) throw in.unexpected(in.peek());
        return assemble();
    }

    private byte[] binaryOrQuote() {
        boolean binary = in.next().text().equals("binary");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (in.at(Token.Kind.STRING)) bytes.writeBytes(in.next().bytes());
        in.expectRParen();
        if (!in.at(Token.Kind.EOF)) throw in.unexpected(in.peek());
        if (binary) return bytes.toByteArray();
        return toBinary(Wat.quotedModuleText(bytes.toString(StandardCharsets.UTF_8)), debugNames);
    }

    // ---------------------------------------------------------------- pass 1: indices and names

    private void declare() {
        String lastDefinition = null;
        while (in.at(Token.Kind.LPAREN)) {
            in.next();
            Token kw = in.next();
            if (!kw.is(Token.Kind.ATOM)) throw in.unexpected(kw);
            switch (kw.text()) {
                case "type" -> {
                    declareType(kw);
                    continue;
                }
                case "import" -> {
                    if (lastDefinition != null) throw in.error("import after " + lastDefinition, kw);
                    in.expect(Token.Kind.STRING);
                    in.expect(Token.Kind.STRING);
                    in.expect(Token.Kind.LPAREN);
                    Token kind = in.next();
                    IndexSpace space = spaceOf(kind);
                    space.add(in.acceptId(), kind, lexer);
                    in.skipRestOfForm();
                }
                case "func", "table", "memory", "global" -> {
                    IndexSpace space = spaceOf(kw);
                    space.add(in.acceptId(), kw, lexer);
                    while (in.atForm("export")) {
                        in.next();
                        in.skipRestOfForm();
                    }
                    if (in.atForm("import")) {
                        if (lastDefinition != null) throw in.error("import after " + lastDefinition, kw);
                    } else {
                        lastDefinition = kw.text().equals("func") ? "function" : kw.text();
                        if (kw.text().equals("table") && containsForm("elem")) ctx.elems.add(null, kw, lexer);
                        if (kw.text().equals("memory") && containsForm("data")) ctx.datas.add(null, kw, lexer);
                    }
                }
                case "elem" -> ctx.elems.add(in.acceptId(), kw, lexer);
                case "data" -> ctx.datas.add(in.acceptId(), kw, lexer);
                case "export", "start" -> { }
                default -> throw in.unexpected(kw);
            }
            in.skipRestOfForm();
        }
    }

    /** True if a {@code (word ...)} form follows at the current nesting level before the field's end. */
    private boolean containsForm(String word) {
        int mark = in.mark();
        try {
            while (!in.at(Token.Kind.RPAREN) && !in.at(Token.Kind.EOF)) {
                if (in.atForm(word)) return true;
                if (in.next().is(Token.Kind.LPAREN)) in.skipRestOfForm();
            }
            return false;
        } finally {
            in.reset(mark);
        }
    }

    private IndexSpace spaceOf(Token kind) {
        return switch (kind.text()) {
            case "func" -> ctx.funcs;
            case "table" -> ctx.tables;
            case "memory" -> ctx.memories;
            case "global" -> ctx.globals;
            default -> throw in.unexpected(kind);
        };
    }

    private void declareType(Token kw) {
        String id = in.acceptId();
        in.expectForm("func");
        List<ValType> params = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (in.atForm("param")) TypeUse.parseDeclarations(in, "param", params, ids);
        List<ValType> results = new ArrayList<>();
        while (in.atForm("result")) {
            in.next();
            in.next();
            while (!in.at(Token.Kind.RPAREN)) results.add(TypeUse.valType(in));
            in.expectRParen();
        }
        in.expectRParen();
        in.expectRParen();
        ctx.types.addExplicit(id, kw, lexer, FuncType.of(params, results));
    }

    // ---------------------------------------------------------------- pass 2: encoding

    private void define() {
        while (in.at(Token.Kind.LPAREN)) {
            in.next();
            Token kw = in.next();
            switch (kw.text()) {
                case "type" -> in.skipRestOfForm();
                case "import" -> importField();
                case "func" -> funcField();
                case "table" -> tableField();
                case "memory" -> memoryField();
                case "global" -> globalField();
                case "export" -> exportField();
                case "start" -> {
                    if (start != null) throw in.error("multiple start sections", kw);
                    start = ctx.funcs.resolve(in.next(), lexer);
                    in.expectRParen();
                }
                case "elem" -> elemField();
                case "data" -> dataField();
                default -> throw in.unexpected(kw);
            }
        }
    }

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
        imports.sized(module).sized(field);
        importCount++;
        switch (kind.text()) {
            case "func" -> {
                imports.u8(KIND_FUNC).u32(TypeUse.parse(in, ctx).resolve(ctx, in));
                indexCounters[KIND_FUNC]++;
            }
            case "table" -> {
                imports.u8(KIND_TABLE);
                tableType(imports);
                indexCounters[KIND_TABLE]++;
            }
            case "memory" -> {
                imports.u8(KIND_MEMORY);
                limits(imports);
                indexCounters[KIND_MEMORY]++;
            }
            case "global" -> {
                imports.u8(KIND_GLOBAL);
                globalType(imports);
                indexCounters[KIND_GLOBAL]++;
            }
            default -> throw in.unexpected(kind);
        }
    }

    /** Inline {@code (export "name")}s and an inline {@code (import "m" "n")}; true if it was an import. */
    private boolean inlineExportsAndImport(int kind, Token kw) {
        int index = indexCounters[kind];
        while (in.atForm("export")) {
            in.next();
            in.next();
            exports.sized(name()).u8(kind).u32(index);
            exportCount++;
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
        indexCounters[kind]++;
        return false;
    }

    private void funcField() {
        Token kw = peekBack("func");
        in.acceptId();
        if (inlineExportsAndImport(KIND_FUNC, kw)) return;
        TypeUse use = TypeUse.parse(in, ctx);
        functions.u32(use.resolve(ctx, in));
        functionCount++;
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
        codes.sized(body.toByteArray());
        localNames.put(indexCounters[KIND_FUNC] - 1, locals.names());
    }

    /** Locals as runs of equal types: count, type. */
    private static void writeLocals(BinaryWriter body, List<ValType> types) {
        List<int[]> runs = new ArrayList<>();
        for (ValType t : types) {
            if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == t.code()) {
                runs.get(runs.size() - 1)[0]++;
            } else {
                runs.add(new int[] {1, t.code()});
            }
        }
        body.u32(runs.size());
        for (int[] r : runs) body.u32(r[0]).u8(r[1]);
    }

    /** A token standing for the field keyword, for error locations. */
    private Token peekBack(String keyword) {
        Token t = in.peek();
        return new Token(Token.Kind.ATOM, keyword, t.start(), t.start(), null);
    }

    private void tableField() {
        Token kw = peekBack("table");
        in.acceptId();
        int index = indexCounters[KIND_TABLE];
        if (inlineExportsAndImport(KIND_TABLE, kw)) return;
        tableCount++;
        if (in.peek().is(Token.Kind.ATOM) && !TextNumbers.isNat(in.peek().text())) {
            ValType type = TypeUse.refType(in);
            in.expectForm("elem");
            BinaryWriter items = new BinaryWriter();
            int count;
            boolean expressions = in.at(Token.Kind.LPAREN);
            if (expressions) {
                count = elemExpressions(items);
            } else {
                count = funcIndices(items);
            }
            in.expectRParen();
            in.expectRParen();
            tables.u8(type.code()).u8(0x01).u32(count).u32(count);
            BinaryWriter offset = new BinaryWriter().u8(0x41).u8(0).u8(0x0B);
            writeElem(true, false, index, offset, expressions, type, count, items);
            return;
        }
        tableType(tables);
        in.expectRParen();
    }

    private void memoryField() {
        Token kw = peekBack("memory");
        in.acceptId();
        int index = indexCounters[KIND_MEMORY];
        if (inlineExportsAndImport(KIND_MEMORY, kw)) return;
        memoryCount++;
        if (in.atForm("data")) {
            in.next();
            in.next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (in.at(Token.Kind.STRING)) bytes.writeBytes(in.next().bytes());
            in.expectRParen();
            in.expectRParen();
            long pages = (bytes.size() + 65535L) / 65536L;
            memories.u8(0x01).u32(pages).u32(pages);
            BinaryWriter offset = new BinaryWriter().u8(0x41).u8(0).u8(0x0B);
            writeData(true, index, offset, bytes.toByteArray());
            return;
        }
        limits(memories);
        in.expectRParen();
    }

    private void globalField() {
        Token kw = peekBack("global");
        in.acceptId();
        if (inlineExportsAndImport(KIND_GLOBAL, kw)) return;
        globalCount++;
        globalType(globals);
        new InstructionParser(in, ctx, null).expression(globals);
        in.expectRParen();
    }

    private void exportField() {
        byte[] name = name();
        in.expect(Token.Kind.LPAREN);
        Token kind = in.next();
        IndexSpace space = spaceOf(kind);
        int code = switch (kind.text()) {
            case "func" -> KIND_FUNC;
            case "table" -> KIND_TABLE;
            case "memory" -> KIND_MEMORY;
            default -> KIND_GLOBAL;
        };
        exports.sized(name).u8(code).u32(space.resolve(in.next(), lexer));
        exportCount++;
        in.expectRParen();
        in.expectRParen();
    }

    private void tableType(BinaryWriter out) {
        BinaryWriter limits = new BinaryWriter();
        limits(limits);
        out.u8(TypeUse.refType(in).code()).append(limits);
    }

    private void limits(BinaryWriter out) {
        long min = limit(in.next());
        if (in.peek().is(Token.Kind.ATOM) && TextNumbers.isNat(in.peek().text())) {
            long max = limit(in.next());
            out.u8(0x01).u32(min).u32(max);
        } else {
            out.u8(0x00).u32(min);
        }
    }

    private void globalType(BinaryWriter out) {
        if (in.atForm("mut")) {
            in.next();
            in.next();
            out.u8(TypeUse.valType(in).code()).u8(0x01);
            in.expectRParen();
        } else {
            out.u8(TypeUse.valType(in).code()).u8(0x00);
        }
    }

    /** A limit: u32, "i32 constant out of range" beyond. */
    private long limit(Token t) {
        try {
            return u32(t);
        } catch (WatSyntaxException e) {
            if (e.reason().equals("constant out of range")) throw in.error("i32 constant out of range", t);
            throw e;
        }
    }

    private long u32(Token t) {
        if (!t.is(Token.Kind.ATOM)) throw in.unexpected(t);
        try {
            return TextNumbers.u32(t.text());
        } catch (TextNumbers.LiteralException e) {
            throw in.error(e.getMessage(), t);
        }
    }

    private boolean atIndex() {
        Token t = in.peek();
        return t.is(Token.Kind.ID) || t.is(Token.Kind.ATOM) && TextNumbers.isNat(t.text());
    }

    // ---------------------------------------------------------------- segments

    /** {@code (offset instr*)} or a single folded instruction. */
    private BinaryWriter offset() {
        BinaryWriter w = new BinaryWriter();
        InstructionParser parser = new InstructionParser(in, ctx, null);
        if (in.atForm("offset")) {
            in.next();
            in.next();
            parser.expression(w);
            in.expectRParen();
        } else {
            parser.foldedExpression(w);
        }
        return w;
    }

    private void elemField() {
        in.acceptId();
        boolean active = false;
        boolean declare = false;
        long table = 0;
        boolean explicitTable = false;
        BinaryWriter offset = null;
        if (in.acceptKeyword("declare")) {
            declare = true;
        } else {
            if (in.atForm("table")) {
                in.next();
                in.next();
                table = ctx.tables.resolve(in.next(), lexer);
                in.expectRParen();
                explicitTable = true;
            } else if (atIndex() && in.peek(1).is(Token.Kind.LPAREN)) {
                table = ctx.tables.resolve(in.next(), lexer);
                explicitTable = true;
            }
            if (explicitTable || in.at(Token.Kind.LPAREN)) {
                active = true;
                offset = offset();
            }
        }
        BinaryWriter items = new BinaryWriter();
        int count;
        boolean expressions;
        ValType type = ValType.FUNCREF;
        if (in.acceptKeyword("func")) {
            expressions = false;
            count = funcIndices(items);
        } else if (in.peek().is(Token.Kind.ATOM) && !TextNumbers.isNat(in.peek().text())) {
            type = TypeUse.refType(in);
            expressions = true;
            count = elemExpressions(items);
        } else if (active && !explicitTable || active && atIndex()) {
            expressions = false;
            count = funcIndices(items);
        } else if (in.at(Token.Kind.RPAREN) && active) {
            expressions = false;
            count = 0;
        } else {
            throw in.unexpected(in.peek());
        }
        in.expectRParen();
        writeElem(active, declare, table, offset, expressions, type, count, items);
    }

    private int funcIndices(BinaryWriter items) {
        int count = 0;
        while (atIndex()) {
            items.u32(ctx.funcs.resolve(in.next(), lexer));
            count++;
        }
        return count;
    }

    /** Element expressions: {@code (item instr*)} or single folded instructions. */
    private int elemExpressions(BinaryWriter items) {
        int count = 0;
        InstructionParser parser = new InstructionParser(in, ctx, null);
        while (in.at(Token.Kind.LPAREN)) {
            if (in.atForm("item")) {
                in.next();
                in.next();
                parser.expression(items);
                in.expectRParen();
            } else {
                parser.foldedExpression(items);
            }
            count++;
        }
        return count;
    }

    /**
     * Writes an element segment with the smallest of the eight encodings that fits:
     * <pre>
     *   flags  mode     table   list
     *   0      active   0       func indices (type funcref)
     *   1      passive          elemkind 0x00, func indices
     *   2      active   x       elemkind 0x00, func indices
     *   3      declare          elemkind 0x00, func indices
     *   4      active   0       expressions (type funcref)
     *   5      passive          reftype, expressions
     *   6      active   x       reftype, expressions
     *   7      declare          reftype, expressions
     * </pre>
     */
    private void writeElem(boolean active, boolean declare, long table, BinaryWriter offset, boolean expressions,
                           ValType type, int count, BinaryWriter items) {
        elemCount++;
        int flags = (expressions ? 4 : 0) | (active ? (table != 0 || expressions && type != ValType.FUNCREF ? 2 : 0)
                : (declare ? 3 : 1));
        elems.u8(flags);
        if (active && (flags & 2) != 0) elems.u32(table);
        if (active) elems.append(offset);
        if ((flags & 3) != 0) {
            if (expressions) {
                elems.u8(type.code());
            } else {
                elems.u8(0x00);
            }
        }
        elems.u32(count).append(items);
    }

    private void dataField() {
        in.acceptId();
        long memory = 0;
        boolean explicitMemory = false;
        BinaryWriter offset = null;
        if (in.atForm("memory")) {
            in.next();
            in.next();
            memory = ctx.memories.resolve(in.next(), lexer);
            in.expectRParen();
            explicitMemory = true;
        } else if (atIndex()) {
            memory = ctx.memories.resolve(in.next(), lexer);
            explicitMemory = true;
        }
        if (explicitMemory || in.at(Token.Kind.LPAREN)) offset = offset();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (in.at(Token.Kind.STRING)) bytes.writeBytes(in.next().bytes());
        in.expectRParen();
        writeData(offset != null, memory, offset, bytes.toByteArray());
    }

    /** Data segment flags: 0 active in memory 0, 1 passive, 2 active with explicit memory index. */
    private void writeData(boolean active, long memory, BinaryWriter offset, byte[] bytes) {
        dataCount++;
        if (!active) {
            datas.u8(1);
        } else if (memory == 0) {
            datas.u8(0).append(offset);
        } else {
            datas.u8(2).u32(memory).append(offset);
        }
        datas.sized(bytes);
    }

    // ---------------------------------------------------------------- assembly

    private byte[] assemble() {
        BinaryWriter out = new BinaryWriter();
        out.bytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        BinaryWriter types = new BinaryWriter();
        for (FuncType t : ctx.types.all()) {
            types.u8(0x60).u32(t.params().size());
            for (ValType v : t.params()) types.u8(v.code());
            types.u32(t.results().size());
            for (ValType v : t.results()) types.u8(v.code());
        }
        out.section(1, ctx.types.all().size(), types);
        out.section(2, importCount, imports);
        out.section(3, functionCount, functions);
        out.section(4, tableCount, tables);
        out.section(5, memoryCount, memories);
        out.section(6, globalCount, globals);
        out.section(7, exportCount, exports);
        if (start != null) out.u8(8).sized(new BinaryWriter().u32(start).toByteArray());
        out.section(9, elemCount, elems);
        if (ctx.usesDataCount) out.u8(12).sized(new BinaryWriter().u32(dataCount).toByteArray());
        out.section(10, functionCount, codes);
        out.section(11, dataCount, datas);
        if (debugNames) out.u8(0).sized(nameSection());
        return out.toByteArray();
    }

    /**
     * The "name" custom section, laid out as wat2wasm --debug-names does:
     * <pre>
     *   "name" | 0: module name | 1: vec(funcidx name) | 2: vec(funcidx vec(localidx name)) for every function
     * </pre>
     */
    private byte[] nameSection() {
        BinaryWriter w = new BinaryWriter().sized("name".getBytes(StandardCharsets.UTF_8));
        if (moduleId != null) {
            w.u8(0).sized(new BinaryWriter().sized(moduleId.getBytes(StandardCharsets.UTF_8)).toByteArray());
        }
        SortedMap<Integer, String> functionNames = ctx.funcs.names();
        if (!functionNames.isEmpty()) w.u8(1).sized(nameMap(functionNames).toByteArray());
        int functionCount = ctx.funcs.size();
        if (localNames.values().stream().anyMatch(m -> !m.isEmpty())) {
            BinaryWriter locals = new BinaryWriter().u32(functionCount);
            for (int f = 0; f < functionCount; f++) {
                locals.u32(f).append(nameMap(localNames.getOrDefault(f, new TreeMap<>())));
            }
            w.u8(2).sized(locals.toByteArray());
        }
        return w.toByteArray();
    }

    private static BinaryWriter nameMap(SortedMap<Integer, String> names) {
        BinaryWriter w = new BinaryWriter().u32(names.size());
        names.forEach((index, name) -> w.u32(index).sized(name.getBytes(StandardCharsets.UTF_8)));
        return w;
    }
}
