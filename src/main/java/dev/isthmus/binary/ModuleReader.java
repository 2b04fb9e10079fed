package dev.isthmus.binary;

import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.GlobalType;
import dev.isthmus.model.Limits;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.MemoryType;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The module-level grammar shared by the section decoders: lengths and vectors, value and reference types, limits,
 * table/memory/global types, names and constant expressions, all read from one cursor over the whole module.
 *
 * <p>Like the reference interpreter, a section's contents are read from the module as a whole, not from a copy
 * bounded by the section's size; the module decoder checks afterwards that each section ended where its size said
 * ("section size mismatch"). That is what makes the error texts agree with the spec test suite.
 *
 * <p>A length (of a vector, a name or a byte string) is checked against the bytes that remain in the module before
 * anything is allocated for it: a vector of {@code n} elements needs at least {@code n} bytes ("length out of
 * bounds").
 */
final class ModuleReader {
    /** What a read past the end of the module reports (the suite checks the prefix "unexpected end"). */
    static final String END_OF_INPUT = "unexpected end of section or function";

    private final ByteReader in;
    private final ExpressionScanner scanner;
    private boolean typedReferences = true;
    /** Wasm 3.0's limits (memory64/table64 flags, u64 bounds); Wasm 2.0's otherwise. */
    private final boolean memory64;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** A reader over {@code bytes[start..]}; offsets in errors are indices into {@code bytes}. */
    ModuleReader(byte[] bytes, int start) {
        this(bytes, start, true);
    }

    /**
     * {@code format30}: the Wasm 3.0 instruction format (see {@link InstructionReader}) and limits (memory64), else
     * Wasm 2.0's.
     */
    ModuleReader(byte[] bytes, int start, boolean format30) {
        this.in = new ByteReader(bytes, start, bytes.length, 0, END_OF_INPUT);
        this.scanner = new ExpressionScanner(in, format30);
        this.memory64 = format30;
    }

    /**
     * A reader of the same module from {@code position} on, with this one's settings and section name: for reading
     * function bodies on other threads ({@link ParallelBodies}).
     */
    ModuleReader at(int position) {
        ModuleReader r = new ModuleReader(in.buffer(), position, memory64);
        r.typedReferences(typedReferences);
        r.in.inSection(in.section());
        return r;
    }

    /** The underlying byte cursor. */
    ByteReader bytes() {
        return in;
    }

    /** The scanner that checks instruction sequences, reading from this reader. */
    ExpressionScanner scanner() {
        return scanner;
    }

    /** Names the section that errors are reported in (null for none). */
    void inSection(String sectionName) {
        in.inSection(sectionName);
    }

    int position() {
        return in.position();
    }

    boolean atEnd() {
        return in.atEnd();
    }

    /** The next byte, not consumed. */
    int peekByte() {
        return in.peek();
    }

    int u8() {
        return in.u8();
    }

    long u32() {
        return in.u32();
    }

    /** An index (u32) into one of the module's index spaces; values above 2^31-1 are "integer too large". */
    int index() {
        return in.u32AsInt();
    }

    /**
     * A length prefix (u32) that may not exceed the bytes remaining in the module, counted from the start of the
     * prefix itself, as the reference interpreter counts them.
     */
    int length() {
        int at = in.position();
        long n = in.u32();
        if (n > in.limit() - at) throw malformed("length out of bounds", at);
        return (int) n;
    }

    /** A vector: a length, then that many elements. */
    <T> List<T> vector(Supplier<T> element) {
        int n = length();
        List<T> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) out.add(element.get());
        return out;
    }

    /** A byte string: a length, then that many bytes. */
    byte[] byteString() {
        int n = length();
        int at = in.position();
        in.skip(n);
        return Arrays.copyOfRange(in.buffer(), at, at + n);
    }

    /** A name: a byte string that must be valid UTF-8. */
    String name() {
        int at = in.position();
        int n = length();
        int from = in.position();
        in.skip(n);
        try {
            return utf8.decode(ByteBuffer.wrap(in.buffer(), from, n)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("malformed UTF-8 encoding", at);
        }
    }

    /**
     * A one-byte signed LEB128 (the spec's s7, the encoding of type constructors): a byte with the continuation
     * bit set is "integer representation too long". Returns the raw byte (0x00..0x7F).
     */
    int s7Byte() {
        int b = in.u8();
        if ((b & 0x80) != 0) throw malformed("integer representation too long", in.position());
        return b;
    }

    /** Whether the 3.0 encodings of typed function references are well-formed (see {@link InstructionReader}). */
    void typedReferences(boolean allowed) {
        typedReferences = allowed;
        scanner.typedReferences(allowed);
    }

    boolean typedReferencesAllowed() {
        return typedReferences;
    }

    /** A value type: i32, i64, f32, f64, v128, funcref, externref or (typed references) 0x63/0x64 heaptype. */
    ValType valueType() {
        int at = in.position();
        int b = s7Byte();
        ValType t = ValType.fromCode(b);
        if (t != null && (typedReferences || t.kind() != ValType.Kind.EXNREF)) return t;
        if (typedReferences && (b == 0x63 || b == 0x64)) {
            return ValType.ref(b == 0x63, InstructionReader.heapType(in, "malformed value type"));
        }
        InstructionReader.rejectGcReferenceType(in, typedReferences, b, at);
        throw malformed("malformed value type", at);
    }

    /** A tag type: the attribute byte 0x00 (an exception) then a function type index. */
    int tagType() {
        int at = in.position();
        if (in.u8() != 0) throw malformed("malformed tag attribute", at);
        return index();
    }

    /** A reference type: funcref (0x70), externref (0x6F) or (typed references) 0x63/0x64 heaptype. */
    ValType referenceType() {
        int at = in.position();
        int b = s7Byte();
        if (b == 0x70) return ValType.FUNCREF;
        if (b == 0x6F) return ValType.EXTERNREF;
        if (typedReferences && b == 0x69) return ValType.EXNREF;
        if (typedReferences && b == 0x74) return ValType.NULLEXNREF;
        if (typedReferences && (b == 0x63 || b == 0x64)) {
            return ValType.ref(b == 0x63, InstructionReader.heapType(in, "malformed reference type"));
        }
        InstructionReader.rejectGcReferenceType(in, typedReferences, b, at);
        throw malformed("malformed reference type", at);
    }

    /**
     * Limits. Wasm 2.0: a flag (the spec's u1: 0 = min only, 1 = min and max) then u32 bounds. Wasm 3.0 (memory64
     * and table64): a flag byte whose bit 0 says a maximum follows and bit 2 gives the address type i64, then u64
     * bounds (whether they fit the address type is the validator's concern); other flags are malformed.
     * <pre>
     *   0x00 min        0x01 min max          (i32)
     *   0x04 min        0x05 min max          (i64, Wasm 3.0)
     * </pre>
     */
    Limits limits() {
        if (!memory64) {
            boolean hasMax = u1();
            long min = in.u32();
            long max = hasMax ? in.u32() : Limits.NO_MAX;
            return new Limits(min, max);
        }
        int at = in.position();
        int flags = in.u8();
        if ((flags & 0x80) != 0 || (flags & ~0x05) != 0) throw malformed("malformed limits flags", at);
        boolean hasMax = (flags & 0x01) != 0;
        long min = in.u64();
        long max = hasMax ? in.u64() : Limits.NO_MAX;
        return new Limits(min, max, (flags & 0x04) != 0);
    }

    /** An unsigned LEB128 of one bit: 0 or 1, in a single byte. */
    private boolean u1() {
        int at = in.position();
        int b = in.u8();
        if ((b & 0x7F) > 1) throw malformed("integer too large", at);
        if ((b & 0x80) != 0) throw malformed("integer representation too long", in.position());
        return b == 1;
    }

    TableType tableType() {
        ValType element = referenceType();
        return new TableType(element, limits());
    }

    /**
     * A table of the table section: a table type, or (typed references) 0x40 0x00, a table type and the
     * expression that initialises every element.
     */
    TableType definedTable() {
        if (typedReferences && in.peek() == 0x40) {
            in.u8();
            int at = in.position();
            if (in.u8() != 0x00) throw malformed("malformed table", at);
            TableType type = tableType();
            return new TableType(type.elementType(), type.limits(), constExpr());
        }
        return tableType();
    }

    MemoryType memoryType() {
        return new MemoryType(limits());
    }

    GlobalType globalType() {
        ValType t = valueType();
        int at = in.position();
        int mutability = in.u8();
        if (mutability > 1) throw malformed("malformed mutability", at);
        return new GlobalType(t, mutability == 1);
    }

    /**
     * A constant expression: instructions up to the matching {@code end}. Only well-formedness is checked here;
     * which instructions are constant is the validator's concern.
     */
    ConstExpr constExpr() {
        int at = in.position();
        scanner.scan();
        return new ConstExpr(Arrays.copyOfRange(in.buffer(), at, in.position()), at);
    }

    /** A malformed-module error at byte {@code at} of the module, in the current section. */
    UnsupportedProposalException unsupportedGc(String construct, int code, int at) {
        return in.unsupportedGc(construct, code, at);
    }

    DecodeException malformed(String reason, int at) {
        return in.malformed(reason, at);
    }
}
