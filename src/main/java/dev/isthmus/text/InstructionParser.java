package dev.isthmus.text;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Parses instruction sequences (plain and folded) of a function body or constant expression and writes their
 * binary encoding. Resolves labels (innermost first, so an inner label shadows an outer one of the same name),
 * locals and every module-level index.
 */
final class InstructionParser {
    /** Keywords of the module syntax that are no instructions: found among instructions, they are misplaced. */
    private static final java.util.Set<String> STRUCTURAL_KEYWORDS = java.util.Set.of(
            "param", "result", "local", "type", "then", "else", "export", "import", "func", "module", "item",
            "offset", "mut", "elem", "data", "memory", "table", "global", "start");

    private final TokenStream in;
    private final ModuleContext ctx;
    private final IndexSpace locals;
    private final List<String> labels = new ArrayList<>();

    /** {@code locals} is null in constant expressions. */
    InstructionParser(TokenStream in, ModuleContext ctx, IndexSpace locals) {
        this.in = in;
        this.ctx = ctx;
        this.locals = locals;
    }

    /** An expression: instructions up to the closing parenthesis, then {@code end}. */
    void expression(BinaryWriter out) {
        instructions(out);
        out.u8(Opcode.END.code());
    }

    /** A constant expression written as one folded instruction (bare offsets and elem items), then {@code end}. */
    void foldedExpression(BinaryWriter out) {
        folded(out);
        out.u8(Opcode.END.code());
    }

    /** Instructions until a {@code )}, {@code end} or {@code else}. */
    void instructions(BinaryWriter out) {
        while (true) {
            Token t = in.peek();
            if (t.is(Token.Kind.LPAREN)) {
                folded(out);
            } else if (t.is(Token.Kind.ATOM) && !t.text().equals("end") && !t.text().equals("else")
                    && !isHandlerKeyword(t.text())) {
                plain(out);
            } else if (t.is(Token.Kind.ID) || t.is(Token.Kind.STRING) || t.is(Token.Kind.RESERVED)) {
                throw in.unexpected(t);
            } else {
                return;
            }
        }
    }

    /** Keywords that end a legacy try's body or handler: catch, catch_all, delegate. */
    private static boolean isHandlerKeyword(String text) {
        return text.equals("catch") || text.equals("catch_all") || text.equals("delegate");
    }

    /** try_table's catch clauses, resolved outside the try_table (its own label is not yet in scope). */
    private void catchClauses(BinaryWriter out) {
        BinaryWriter clauses = new BinaryWriter();
        int count = 0;
        while (true) {
            int kind;
            if (in.atForm("catch")) kind = 0;
            else if (in.atForm("catch_ref")) kind = 1;
            else if (in.atForm("catch_all")) kind = 2;
            else if (in.atForm("catch_all_ref")) kind = 3;
            else break;
            in.next();
            in.next();
            clauses.u8(kind);
            if (kind <= 1) clauses.u32(ctx.tags.resolve(in.next(), in.lexer()));
            clauses.u32(label(in.next()));
            in.expectRParen();
            count++;
        }
        out.u32(count).append(clauses);
    }

    /** Plain legacy try after its block type: body, catch x / catch_all handlers, then end or delegate l. */
    private void plainTryRest(String label, BinaryWriter out) {
        instructions(out);
        boolean catchAll = false;
        while (in.atKeyword("catch") || in.atKeyword("catch_all")) {
            if (catchAll) throw in.unexpected(in.peek());
            boolean all = in.next().text().equals("catch_all");
            catchAll = all;
            checkEndLabel(label);
            if (all) {
                out.u8(Opcode.CATCH_ALL.code());
            } else {
                out.u8(Opcode.CATCH.code()).u32(ctx.tags.resolve(in.next(), in.lexer()));
            }
            instructions(out);
        }
        if (in.atKeyword("delegate")) {
            in.next();
            labels.remove(labels.size() - 1);
            out.u8(Opcode.DELEGATE.code()).u32(label(in.next()));
            return;
        }
        in.expectKeyword("end");
        checkEndLabel(label);
        labels.remove(labels.size() - 1);
        out.u8(Opcode.END.code());
    }

    private void plain(BinaryWriter out) {
        Token t = in.next();
        switch (t.text()) {
            case "try_table" -> {
                String label = in.acceptId();
                emit(Opcode.TRY_TABLE, out);
                out.bytes(blockType());
                catchClauses(out);
                labels.add(label);
                instructions(out);
                in.expectKeyword("end");
                checkEndLabel(label);
                labels.remove(labels.size() - 1);
                out.u8(Opcode.END.code());
            }
            case "try" -> {
                String label = in.acceptId();
                emit(Opcode.TRY, out);
                out.bytes(blockType());
                labels.add(label);
                plainTryRest(label, out);
            }
            case "block", "loop" -> {
                String label = in.acceptId();
                emit(t.text().equals("block") ? Opcode.BLOCK : Opcode.LOOP, out);
                out.bytes(blockType());
                labels.add(label);
                instructions(out);
                in.expectKeyword("end");
                checkEndLabel(label);
                labels.remove(labels.size() - 1);
                out.u8(Opcode.END.code());
            }
            case "if" -> {
                String label = in.acceptId();
                emit(Opcode.IF, out);
                out.bytes(blockType());
                labels.add(label);
                instructions(out);
                if (in.acceptKeyword("else")) {
                    checkEndLabel(label);
                    out.u8(Opcode.ELSE.code());
                    instructions(out);
                }
                in.expectKeyword("end");
                checkEndLabel(label);
                labels.remove(labels.size() - 1);
                out.u8(Opcode.END.code());
            }
            default -> operation(t, out);
        }
    }

    private void folded(BinaryWriter out) {
        in.expect(Token.Kind.LPAREN);
        Token t = in.peek();
        if (!t.is(Token.Kind.ATOM)) throw in.unexpected(t);
        in.next();
        switch (t.text()) {
            case "block", "loop" -> {
                String label = in.acceptId();
                emit(t.text().equals("block") ? Opcode.BLOCK : Opcode.LOOP, out);
                out.bytes(blockType());
                labels.add(label);
                instructions(out);
                labels.remove(labels.size() - 1);
                in.expectRParen();
                out.u8(Opcode.END.code());
            }
            case "try_table" -> {
                String label = in.acceptId();
                emit(Opcode.TRY_TABLE, out);
                out.bytes(blockType());
                catchClauses(out);
                labels.add(label);
                instructions(out);
                labels.remove(labels.size() - 1);
                in.expectRParen();
                out.u8(Opcode.END.code());
            }
            case "try" -> {
                // (try $l? bt (do instr*) (catch x instr*)* (catch_all instr*)?) or (... (do ...) (delegate l))
                String label = in.acceptId();
                emit(Opcode.TRY, out);
                out.bytes(blockType());
                labels.add(label);
                in.expectForm("do");
                instructions(out);
                in.expectRParen();
                boolean delegated = false;
                boolean handlers = false;
                boolean catchAll = false;
                while (in.atForm("catch") || in.atForm("catch_all") || in.atForm("delegate")) {
                    if (catchAll || handlers && in.atForm("delegate")) throw in.unexpected(in.peek(1));
                    in.next();
                    String kw = in.next().text();
                    handlers = true;
                    catchAll |= kw.equals("catch_all");
                    if (kw.equals("delegate")) {
                        labels.remove(labels.size() - 1);
                        out.u8(Opcode.DELEGATE.code()).u32(label(in.next()));
                        in.expectRParen();
                        delegated = true;
                        break;
                    }
                    if (kw.equals("catch_all")) {
                        out.u8(Opcode.CATCH_ALL.code());
                    } else {
                        out.u8(Opcode.CATCH.code()).u32(ctx.tags.resolve(in.next(), in.lexer()));
                    }
                    instructions(out);
                    in.expectRParen();
                }
                in.expectRParen();
                if (!delegated) {
                    labels.remove(labels.size() - 1);
                    out.u8(Opcode.END.code());
                }
            }
            case "if" -> {
                String label = in.acceptId();
                byte[] type = blockType();
                while (in.at(Token.Kind.LPAREN) && !in.atForm("then")) folded(out);
                emit(Opcode.IF, out);
                out.bytes(type);
                labels.add(label);
                in.expectForm("then");
                instructions(out);
                in.expectRParen();
                if (in.atForm("else")) {
                    in.next();
                    in.next();
                    out.u8(Opcode.ELSE.code());
                    instructions(out);
                    in.expectRParen();
                }
                labels.remove(labels.size() - 1);
                in.expectRParen();
                out.u8(Opcode.END.code());
            }
            default -> {
                BinaryWriter op = new BinaryWriter();
                operation(t, op);
                while (in.at(Token.Kind.LPAREN)) folded(out);
                in.expectRParen();
                out.append(op);
            }
        }
    }

    private void checkEndLabel(String label) {
        if (in.at(Token.Kind.ID)) {
            Token id = in.next();
            if (label == null || !label.equals(id.idName())) throw in.error("mismatching label", id);
        }
    }

    /** A non-structured instruction {@code t} and its immediates. */
    private void operation(Token t, BinaryWriter out) {
        Opcode op = Opcode.fromText(t.text());
        if (op == null && STRUCTURAL_KEYWORDS.contains(t.text())) throw in.unexpected(t);
        if (op == null || op == Opcode.BLOCK || op == Opcode.LOOP || op == Opcode.IF || op == Opcode.ELSE
                || op == Opcode.END || op == Opcode.TRY || op == Opcode.TRY_TABLE || op == Opcode.CATCH
                || op == Opcode.CATCH_ALL || op == Opcode.DELEGATE) {
            throw in.error("unknown operator " + t.text(), t);
        }
        if (op == Opcode.SELECT && in.atForm("result")) {
            List<ValType> types = new ArrayList<>();
            while (in.atForm("result")) {
                in.next();
                in.next();
                while (!in.at(Token.Kind.RPAREN)) types.add(TypeUse.valType(in));
                in.expectRParen();
            }
            emit(Opcode.SELECT_T, out);
            out.u32(types.size());
            for (ValType v : types) out.valType(v);
            return;
        }
        emit(op, out);
        immediates(op, out);
    }

    static void emit(Opcode op, BinaryWriter out) {
        if (op.prefix() == 0) {
            out.u8(op.code());
        } else {
            out.u8(op.prefix()).u32(op.code());
        }
    }

    private void immediates(Opcode op, BinaryWriter out) {
        switch (op.immediate()) {
            case NONE -> { }
            case LABEL -> out.u32(label(in.next()));
            case BR_TABLE -> {
                List<Long> targets = new ArrayList<>();
                do {
                    targets.add(label(in.next()));
                } while (atIndex());
                out.u32(targets.size() - 1);
                for (long l : targets) out.u32(l);
            }
            case FUNC -> out.u32(ctx.funcs.resolve(in.next(), in.lexer()));
            case CALL_INDIRECT -> {
                long table = atIndex() ? ctx.tables.resolve(in.next(), in.lexer()) : 0;
                TypeUse use = TypeUse.parse(in, ctx);
                if (use.paramIds().stream().anyMatch(id -> id != null)) throw in.unexpected(in.peek());
                out.u32(use.resolve(ctx, in));
                out.u32(table);
            }
            case LOCAL -> {
                Token t = in.next();
                if (locals == null && !t.is(Token.Kind.ATOM)) throw in.error("unknown local " + t.text(), t);
                out.u32((locals != null ? locals : new IndexSpace("local", "local")).resolve(t, in.lexer()));
            }
            case GLOBAL -> out.u32(ctx.globals.resolve(in.next(), in.lexer()));
            case TAG -> out.u32(ctx.tags.resolve(in.next(), in.lexer()));
            case TABLE -> out.u32(optionalIndex(ctx.tables));
            case MEMORY -> out.u32(optionalIndex(ctx.memories));
            case MEMARG -> memarg(op, out);
            case I32 -> out.s32((int) number(TextNumbers::i32));
            case I64 -> out.s64(number(TextNumbers::i64));
            case F32 -> out.fixed(number(TextNumbers::f32), 4);
            case F64 -> out.fixed(number(TextNumbers::f64), 8);
            case REF_TYPE -> out.heapType(TypeUse.heapType(in));
            case TYPE -> out.u32(ctx.types.resolve(in.next(), in.lexer()));
            case MEMORY_INIT -> {
                ctx.usesDataCount = true;
                Token first = in.next();
                long memory = 0;
                Token data = first;
                if (atIndex()) {
                    memory = ctx.memories.resolve(first, in.lexer());
                    data = in.next();
                }
                out.u32(ctx.datas.resolve(data, in.lexer())).u32(memory);
            }
            case DATA -> {
                ctx.usesDataCount = true;
                out.u32(ctx.datas.resolve(in.next(), in.lexer()));
            }
            case MEMORY_COPY -> {
                long dst = optionalIndex(ctx.memories);
                long src = optionalIndex(ctx.memories);
                out.u32(dst).u32(src);
            }
            case TABLE_INIT -> {
                Token first = in.next();
                long table = 0;
                Token elem = first;
                if (atIndex()) {
                    table = ctx.tables.resolve(first, in.lexer());
                    elem = in.next();
                }
                out.u32(ctx.elems.resolve(elem, in.lexer())).u32(table);
            }
            case ELEM -> out.u32(ctx.elems.resolve(in.next(), in.lexer()));
            case TABLE_COPY -> {
                long dst = optionalIndex(ctx.tables);
                long src = optionalIndex(ctx.tables);
                out.u32(dst).u32(src);
            }
            case V128 -> out.bytes(v128Const());
            case SHUFFLE -> shuffle(out);
            case LANE -> out.u8(laneIndex());
            case MEMARG_LANE -> {
                memarg(op, out);
                out.u8(laneIndex());
            }
            case BLOCK_TYPE, SELECT_TYPES, TRY_TABLE -> throw new IllegalStateException("handled by the caller: " + op);
        }
    }

    private boolean atIndex() {
        Token t = in.peek();
        return t.is(Token.Kind.ID) || t.is(Token.Kind.ATOM) && TextNumbers.isNat(t.text());
    }

    private long optionalIndex(IndexSpace space) {
        return atIndex() ? space.resolve(in.next(), in.lexer()) : 0;
    }

    /** A label reference: {@code $id} (innermost match) or a relative depth. */
    private long label(Token t) {
        if (t.is(Token.Kind.ID)) {
            for (int i = labels.size() - 1; i >= 0; i--) {
                if (t.idName().equals(labels.get(i))) return labels.size() - 1 - i;
            }
            throw in.error("unknown label " + t.text(), t);
        }
        if (t.is(Token.Kind.ATOM) && TextNumbers.isNat(t.text())) return literal(t, TextNumbers::u32);
        if (t.is(Token.Kind.ATOM)) throw in.error("unknown operator", t);
        throw in.unexpected(t);
    }

    /**
     * A block type: 0x40 when empty, the value type when one result and nothing else, else a type index (s33),
     * explicit or implicitly created. Block parameters cannot be named.
     */
    private byte[] blockType() {
        TypeUse use = TypeUse.parse(in, ctx);
        if (use.paramIds().stream().anyMatch(id -> id != null)) throw in.unexpected(in.peek());
        BinaryWriter w = new BinaryWriter();
        if (use.explicitIndex() < 0 && use.params().isEmpty() && use.results().size() <= 1) {
            if (use.results().isEmpty()) w.u8(0x40);
            else w.valType(use.results().get(0));
        } else {
            w.s64(use.resolve(ctx, in));
        }
        return w.toByteArray();
    }

    private long number(ToLongFunction<String> parser) {
        Token t = in.next();
        if (!t.is(Token.Kind.ATOM)) throw in.unexpected(t);
        return literal(t, parser);
    }

    private long literal(Token t, ToLongFunction<String> parser) {
        try {
            return parser.applyAsLong(t.text());
        } catch (TextNumbers.LiteralException e) {
            throw in.error(e.getMessage(), t);
        }
    }

    /**
     * {@code memory? offset=N? align=N?}, written as alignment exponent (bit 6 set when a memory index follows),
     * the memory index if not 0 (multi-memory), then the offset.
     */
    private void memarg(Opcode op, BinaryWriter out) {
        long memory = atMemoryIndex(op) ? ctx.memories.resolve(in.next(), in.lexer()) : 0;
        long offset = 0;
        if (in.peek().is(Token.Kind.ATOM) && in.peek().text().startsWith("offset=")) {
            Token t = in.next();
            try {
                String digits = t.text().substring("offset=".length());
                // Wasm 3.0: a u64 (a 32-bit memory's limit is the validator's "offset out of range")
                offset = ctx.memory64 ? TextNumbers.u64(digits) : TextNumbers.u32(digits);
            } catch (TextNumbers.LiteralException e) {
                boolean range = e.getMessage().startsWith("constant out of range");
                throw in.error(range ? "i32 constant out of range" : e.getMessage(), t);
            }
        }
        long align = naturalAlignment(op);
        if (in.peek().is(Token.Kind.ATOM) && in.peek().text().startsWith("align=")) {
            Token t = in.next();
            // Wasm 3.0: a u64 power of two (its exponent, up to 63, is the validator's concern)
            align = literal(t, s -> ctx.memory64 ? TextNumbers.u64(s.substring("align=".length()))
                    : TextNumbers.u32(s.substring("align=".length())));
            if (align == 0 || Long.bitCount(align) != 1) throw in.error("alignment must be a power of two", t);
        }
        int exponent = Long.numberOfTrailingZeros(align);
        if (memory != 0) {
            out.u32(exponent | 0x40).u32(memory);
        } else {
            out.u32(exponent);
        }
        out.u64(offset);
    }

    /**
     * True if a memory index comes first: an {@code $id}, or a number, which for lane accesses is only a memory
     * index when the lane index or a memarg keyword follows.
     */
    private boolean atMemoryIndex(Opcode op) {
        if (in.at(Token.Kind.ID)) return true;
        if (!atIndex()) return false;
        return op.immediate() == dev.isthmus.binary.Immediate.MEMARG || isMemargOrNat(in.peek(1));
    }

    private static boolean isMemargOrNat(Token t) {
        return t.is(Token.Kind.ATOM)
                && (TextNumbers.isNat(t.text()) || t.text().startsWith("offset=") || t.text().startsWith("align="));
    }

    /** The natural alignment in bytes of a load or store, from its name (e.g. i64.load16_s: 2, v128.load8x8_s: 8). */
    static long naturalAlignment(Opcode op) {
        String name = op.text();
        int dot = name.indexOf('.');
        String rest = name.substring(dot + 1);
        String access = rest.startsWith("load") ? rest.substring(4) : rest.substring(5);
        int i = 0;
        while (i < access.length() && Character.isDigit(access.charAt(i))) i++;
        if (i == 0) {
            return switch (name.substring(0, dot)) {
                case "i32", "f32" -> 4;
                case "i64", "f64" -> 8;
                default -> 16;
            };
        }
        long bits = Long.parseLong(access.substring(0, i));
        if (i < access.length() && access.charAt(i) == 'x') {
            int j = i + 1;
            while (j < access.length() && Character.isDigit(access.charAt(j))) j++;
            bits *= Long.parseLong(access.substring(i + 1, j));
        }
        return bits / 8;
    }

    private int laneIndex() {
        Token t = in.next();
        if (!t.is(Token.Kind.ATOM)) throw in.unexpected(t);
        if (!TextNumbers.isNat(t.text())) throw in.unexpected(t);
        long v;
        try {
            v = TextNumbers.u32(t.text());
        } catch (TextNumbers.LiteralException e) {
            throw in.error("malformed lane index", t);
        }
        if (v > 255) throw in.error("malformed lane index", t);
        return (int) v;
    }

    private void shuffle(BinaryWriter out) {
        List<Token> lanes = new ArrayList<>();
        while (in.peek().is(Token.Kind.ATOM)) lanes.add(in.next());
        if (lanes.size() != 16) throw in.error("invalid lane length", lanes.isEmpty() ? in.peek() : lanes.get(0));
        for (Token t : lanes) {
            long v;
            try {
                v = TextNumbers.isNat(t.text()) ? TextNumbers.u32(t.text()) : -1;
            } catch (TextNumbers.LiteralException e) {
                v = -1;
            }
            if (v < 0 || v > 255) throw in.error("malformed lane index", t);
            out.u8((int) v);
        }
    }

    /** {@code shape lane*} of v128.const: 16 bytes, lanes little endian. */
    private byte[] v128Const() {
        Token shapeToken = in.next();
        String shape = shapeToken.is(Token.Kind.ATOM) ? shapeToken.text() : "";
        int lanes = switch (shape) {
            case "i8x16" -> 16;
            case "i16x8" -> 8;
            case "i32x4", "f32x4" -> 4;
            case "i64x2", "f64x2" -> 2;
            default -> throw in.unexpected(shapeToken);
        };
        int laneBits = 128 / lanes;
        boolean floating = shape.startsWith("f");
        for (int i = 0; i < lanes; i++) {
            if (!in.peek(i).is(Token.Kind.ATOM)) throw in.error("wrong number of lane literals", in.peek(i));
        }
        BinaryWriter w = new BinaryWriter();
        for (int i = 0; i < lanes; i++) {
            Token t = in.next();
            w.fixed(literal(t, s -> TextNumbers.lane(laneBits, floating, s)), laneBits / 8);
        }
        Token extra = in.peek();
        if (extra.is(Token.Kind.ATOM) && !extra.text().isEmpty() && "0123456789+-".indexOf(extra.text().charAt(0)) >= 0) {
            throw in.error("wrong number of lane literals", extra);
        }
        return w.toByteArray();
    }
}
