package dev.isthmus.text;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;
import java.io.ByteArrayOutputStream;

/**
 * Element and data segments: the {@code (elem ...)} and {@code (data ...)} fields in all their forms, and the
 * segments that the {@code (table reftype (elem ...))} and {@code (memory (data ...))} abbreviations stand for.
 */
final class SegmentParser {
    private final TokenStream in;
    private final Lexer lexer;
    private final ModuleContext ctx;
    private final ModuleSections sections;

    SegmentParser(TokenStream in, ModuleContext ctx, ModuleSections sections) {
        this.in = in;
        this.lexer = in.lexer();
        this.ctx = ctx;
        this.sections = sections;
    }

    private boolean atIndex() {
        Token t = in.peek();
        return t.is(Token.Kind.ID) || t.is(Token.Kind.ATOM) && TextNumbers.isNat(t.text());
    }

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

    /** The constant expression {@code i32.const 0 end}: where abbreviated segments start. */
    /** {@code (i32.const 0)}, or {@code (i64.const 0)} for a 64-bit memory or table. */
    private static BinaryWriter offsetZero(boolean address64) {
        return new BinaryWriter().u8(address64 ? 0x42 : 0x41).u8(0).u8(0x0B);
    }

    /**
     * {@code $id? (declare | (table x)? offset)? elemlist)}, after {@code (elem}. An elemlist is
     * {@code func x*}, {@code reftype item*}, or (after an offset) bare function indices.
     */
    void elemField() {
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
            if (explicitTable || in.at(Token.Kind.LPAREN) && !in.atForm("ref")) {
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
        } else if (in.peek().is(Token.Kind.ATOM) && !TextNumbers.isNat(in.peek().text()) || in.atForm("ref")) {
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

    /**
     * The {@code (elem ...)} of {@code (table reftype (elem ...))}, at its {@code (}: writes the active segment at
     * offset 0 of {@code table} and returns how many elements it has (the table's size).
     */
    int inlineTableElems(long table, ValType type, boolean address64) {
        in.expectForm("elem");
        BinaryWriter items = new BinaryWriter();
        boolean expressions = in.at(Token.Kind.LPAREN);
        int count;
        if (expressions) {
            count = elemExpressions(items);
        } else if (type != ValType.FUNCREF) {
            // function indices in a table of another type (e.g. (ref null $t)): written as ref.func expressions
            // of the table's type, so that the segment has the table's type
            count = 0;
            while (atIndex()) {
                items.u8(Opcode.REF_FUNC.code()).u32(ctx.funcs.resolve(in.next(), lexer)).u8(Opcode.END.code());
                count++;
            }
            expressions = true;
        } else {
            count = funcIndices(items);
        }
        in.expectRParen();
        writeElem(true, false, table, offsetZero(address64), expressions, type, count, items);
        return count;
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
     * Writes an element segment with the smallest of the eight encodings that fits (as wat2wasm chooses):
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
        int mode = active ? (table != 0 || expressions && type != ValType.FUNCREF ? 2 : 0) : (declare ? 3 : 1);
        int flags = (expressions ? 4 : 0) | mode;
        BinaryWriter elems = sections.elems.add();
        elems.u8(flags);
        if (active && (flags & 2) != 0) elems.u32(table);
        if (active) elems.append(offset);
        if ((flags & 3) != 0) {
            if (expressions) elems.valType(type);
            else elems.u8(0x00);
        }
        elems.u32(count).append(items);
    }

    /** {@code $id? ((memory x) | x)? offset? string*)}, after {@code (data}. */
    void dataField() {
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
        byte[] bytes = strings();
        in.expectRParen();
        writeData(offset != null, memory, offset, bytes);
    }

    /**
     * The {@code (data ...)} of {@code (memory (data ...))}, at its {@code (}: writes the active segment at offset 0
     * of {@code memory} and returns its length in bytes.
     */
    int inlineMemoryData(long memory, boolean address64) {
        in.expectForm("data");
        byte[] bytes = strings();
        in.expectRParen();
        writeData(true, memory, offsetZero(address64), bytes);
        return bytes.length;
    }

    private byte[] strings() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (in.at(Token.Kind.STRING)) bytes.writeBytes(in.next().bytes());
        return bytes.toByteArray();
    }

    /** Data segment flags: 0 active in memory 0, 1 passive, 2 active with explicit memory index. */
    private void writeData(boolean active, long memory, BinaryWriter offset, byte[] bytes) {
        BinaryWriter datas = sections.datas.add();
        if (!active) {
            datas.u8(1);
        } else if (memory == 0) {
            datas.u8(0).append(offset);
        } else {
            datas.u8(2).u32(memory).append(offset);
        }
        datas.sized(bytes);
    }
}
