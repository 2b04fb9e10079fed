package dev.isthmus.binary;

import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.ValType;

/**
 * Decodes one instruction at a time from a {@link ByteReader}: the opcode and its immediates, enforcing the binary
 * format's rules (illegal opcodes, reserved zero bytes, LEB128 limits). It does not check types or indices: that is
 * validation. Shared by the module decoder (well-formedness), the validator and the compiler.
 *
 * <pre>{@code
 * InstructionReader r = new InstructionReader(byteReader);
 * while (!r.atEnd()) {
 *     Opcode op = r.next();          // immediates of op are now available:
 *     switch (op.immediate()) { case LOCAL -> use(r.index()); ... }
 * }
 * }</pre>
 *
 * <p>Immediate accessors refer to the last instruction returned by {@link #next()}:
 * <ul>
 * <li>{@link #index()}: LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM, TYPE, MEMORY (memory index); the type
 *     index of CALL_INDIRECT; the data index of MEMORY_INIT; the element index of TABLE_INIT; the destination of TABLE_COPY
 *     and MEMORY_COPY.</li>
 * <li>{@link #index2()}: the table of CALL_INDIRECT and TABLE_INIT; the source of TABLE_COPY and MEMORY_COPY; the
 *     memory of MEMORY_INIT.</li>
 * <li>{@link #memory()}: the memory of MEMARG, MEMARG_LANE, MEMORY, MEMORY_INIT and the destination of
 *     MEMORY_COPY.</li>
 * <li>{@link #align()}/{@link #memOffset()}: MEMARG and MEMARG_LANE; {@link #lane()}: LANE and MEMARG_LANE.</li>
 * <li>{@link #i32()}, {@link #i64()}, {@link #f32Bits()}, {@link #f64Bits()}: constants;
 *     {@link #v128()}: V128 bytes and SHUFFLE lanes.</li>
 * <li>{@link #blockType()}, {@link #brTargets()} (BR_TABLE labels without the default) and {@link #brDefault()},
 *     {@link #selectTypes()}, {@link #refType()}.</li>
 * </ul>
 */
public final class InstructionReader {
    private final ByteReader in;
    /**
     * Wasm 3.0's multiple memories: a memarg's flags may carry a memory index (bit 6), and memory.size, grow, fill,
     * copy and init take u32 memory indices; off, the Wasm 2.0 format (reserved zero bytes, flags below 32).
     */
    private final boolean multiMemory;
    private long start;
    private Opcode op;
    private int index;
    private int index2;
    private int memory;
    private int align;
    private long memOffset;
    private int lane;
    private long constant;
    private byte[] v128;
    private BlockType blockType;
    private int[] brTargets;
    private int brDefault;
    private ValType[] selectTypes;
    private ValType refType;
    private int[] catchKinds = new int[0];
    private int[] catchTags = new int[0];
    private int[] catchLabels = new int[0];
    private boolean typedReferences = true;

    /** try_table catch clause kinds (the binary format's byte). */
    public static final int CATCH = 0, CATCH_REF = 1, CATCH_ALL = 2, CATCH_ALL_REF = 3;

    public InstructionReader(ByteReader in) {
        this(in, true);
    }

    /** A reader of the Wasm 3.0 format ({@code multiMemory}) or of the Wasm 2.0 one (a single memory). */
    public InstructionReader(ByteReader in, boolean multiMemory) {
        this.in = in;
        this.multiMemory = multiMemory;
    }

    /**
     * Whether the 3.0 encodings of typed function references are well-formed (default): the value types 0x63/0x64
     * with a heap type, a type index as {@code ref.null}'s heap type. Off, they are malformed, as in Wasm 2.0.
     */
    public InstructionReader typedReferences(boolean allowed) {
        this.typedReferences = allowed;
        return this;
    }

    public boolean atEnd() {
        return in.atEnd();
    }

    /** The underlying byte reader (positioned after the last instruction read). */
    public ByteReader bytes() {
        return in;
    }

    /** Absolute offset of the last instruction returned by {@link #next()}. */
    public long offset() {
        return start;
    }

    /** The last instruction returned by {@link #next()}. */
    public Opcode opcode() {
        return op;
    }

    /** Reads the next instruction and its immediates. */
    public Opcode next() {
        start = in.offset();
        int b = in.u8();
        Opcode o;
        if (b == 0xFC) {
            long sub = in.u32();
            o = Opcode.misc(sub);
            if (o == null) throw illegal(b, sub);
        } else if (b == 0xFD) {
            long sub = in.u32();
            o = Opcode.simd(sub);
            if (o == null) throw illegal(b, sub);
        } else {
            o = Opcode.plain(b);
            if (o == null) {
                if (typedReferences && (b == 0xFB || b == 0xD3)) {
                    throw in.unsupportedGc(b == 0xD3 ? "instruction ref.eq" : "instruction prefix", b,
                            (int) (start - in.offset() + in.position()));
                }
                throw illegal(b, -1);
            }
        }
        if (!typedReferences && isFunctionReferenceOpcode(o)) throw illegal(b, -1);
        op = o;
        readImmediates(o.immediate());
        return o;
    }

    private void readImmediates(Immediate kind) {
        switch (kind) {
            case NONE -> { }
            case BLOCK_TYPE -> blockType = readBlockType();
            case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM, TAG -> index = in.u32AsInt();
            case TRY_TABLE -> {
                blockType = readBlockType();
                int n = in.u32AsInt();
                if (n > in.remaining()) throw in.malformed(in.endMessage());
                int[] kinds = new int[n], tags = new int[n], labels = new int[n];
                for (int i = 0; i < n; i++) {
                    int at = in.position();
                    kinds[i] = in.u8();
                    if (kinds[i] > CATCH_ALL_REF) throw in.malformed("malformed handler kind", at);
                    tags[i] = kinds[i] <= CATCH_REF ? in.u32AsInt() : -1;
                    labels[i] = in.u32AsInt();
                }
                catchKinds = kinds;
                catchTags = tags;
                catchLabels = labels;
            }
            // a type index beyond 2^31 is well-formed and unknown to the validator ("unknown type"): kept as its
            // unsigned value in an int (negative), which no type index space contains
            case TYPE -> index = (int) in.u32();
            case BR_TABLE -> {
                int n = in.u32AsInt();
                // each label takes at least one byte: a count larger than what remains cannot be real
                if (n > in.remaining()) throw in.malformed(in.endMessage());
                int[] t = new int[n];
                for (int i = 0; i < n; i++) t[i] = in.u32AsInt();
                brTargets = t;
                brDefault = in.u32AsInt();
            }
            case CALL_INDIRECT -> {
                index = (int) in.u32();
                index2 = in.u32AsInt();
            }
            case TABLE_INIT, TABLE_COPY -> {
                index = in.u32AsInt();
                index2 = in.u32AsInt();
            }
            case SELECT_TYPES -> {
                int n = in.u32AsInt();
                if (n > in.remaining()) throw in.malformed(in.endMessage());
                ValType[] ts = new ValType[n];
                for (int i = 0; i < n; i++) ts[i] = readValType();
                selectTypes = ts;
            }
            case MEMARG -> readMemarg();
            case MEMORY -> index = memory = memoryIndex();
            case MEMORY_INIT -> {
                index = in.u32AsInt();
                index2 = memory = memoryIndex();
            }
            case MEMORY_COPY -> {
                index = memory = memoryIndex();
                index2 = memoryIndex();
            }
            case I32 -> constant = in.s32();
            case I64 -> constant = in.s64();
            case F32 -> constant = Integer.toUnsignedLong(in.f32Bits());
            case F64 -> constant = in.f64Bits();
            case REF_TYPE -> {
                int at = in.position();
                if (!typedReferences) {
                    int t = in.u8();
                    if (t == 0x70) refType = ValType.FUNCREF;
                    else if (t == 0x6F) refType = ValType.EXTERNREF;
                    else throw in.malformed("malformed reference type", at);
                } else {
                    refType = ValType.ref(true, heapType(in, "malformed reference type"));
                }
            }
            case V128, SHUFFLE -> v128 = in.bytes(16);
            case LANE -> lane = in.u8();
            case MEMARG_LANE -> {
                readMemarg();
                lane = in.u8();
            }
        }
    }

    private void readMemarg() {
        int at = in.position();
        long a = in.u32();
        if (multiMemory) {
            // Wasm 3.0: flags below 64 are the alignment exponent alone (memory 0); bit 6 set means a memory index
            // follows; 128 and above are malformed. Exponents above the natural one are the validator's concern.
            if (a >= 128) throw in.malformed("malformed memop flags", at);
            memory = a >= 64 ? in.u32AsInt() : 0;
            align = (int) (a & 63);
        } else {
            // Wasm 2.0 has one memory: the flags are the alignment exponent alone, and an exponent of 32 or more
            // is malformed (align.wast); larger-than-natural exponents below 32 are the validator's concern
            if (a >= 32) throw in.malformed("malformed memop flags", at);
            align = (int) a;
            memory = 0;
        }
        index = memory;
        // Wasm 3.0 (memory64): a u64 offset; whether it fits a 32-bit memory is the validator's concern
        memOffset = multiMemory ? in.u64() : in.u32();
    }

    /** A memory index: a u32 (Wasm 3.0), or Wasm 2.0's reserved zero byte. */
    private int memoryIndex() {
        return multiMemory ? in.u32AsInt() : zeroByte();
    }

    /** Wasm 2.0's reserved memory index: exactly the byte 0x00 (not a longer LEB128 encoding of zero). */
    private int zeroByte() {
        int at = in.position();
        if (in.u8() != 0) throw in.malformed("zero byte expected", at);
        return 0;
    }

    private BlockType readBlockType() {
        int b = in.peek();
        if (b == 0x40) {
            in.u8();
            return BlockType.EMPTY;
        }
        ValType t = ValType.fromCode(b);
        if (t != null && (typedReferences || t.kind() != ValType.Kind.EXNREF)) {
            in.u8();
            return new BlockType(t, -1);
        }
        if (typedReferences && (b == 0x63 || b == 0x64)) {
            in.u8();
            return new BlockType(ValType.ref(b == 0x63, heapType(in, "malformed value type")), -1);
        }
        int at = in.position();
        rejectGcReferenceType(in, typedReferences, b, at);
        long idx = in.s33();
        if (idx < 0) throw in.malformed("malformed value type", at);
        if (idx > Integer.MAX_VALUE) throw in.malformed("integer too large", at);
        return new BlockType(null, (int) idx);
    }

    private ValType readValType() {
        return valueType(in, typedReferences);
    }

    /**
     * A value type at {@code in}: one of the one-byte codes or, when {@code typedReferences}, 0x63
     * ({@code ref null}) or 0x64 ({@code ref}) followed by a heap type.
     */
    public static ValType valueType(ByteReader in, boolean typedReferences) {
        int at = in.position();
        int b = in.u8();
        ValType t = ValType.fromCode(b);
        if (t != null && (typedReferences || t.kind() != ValType.Kind.EXNREF)) return t;
        if (typedReferences && (b == 0x63 || b == 0x64)) return ValType.ref(b == 0x63, heapType(in, "malformed value type"));
        rejectGcReferenceType(in, typedReferences, b, at);
        throw in.malformed("malformed value type", at);
    }

    /**
     * Under the 3.0 rules ({@code typedReferences}), a GC reference type shorthand ({@code anyref} 0x6E ...
     * {@code nullfuncref} 0x73) at {@code at} is well-formed but not supported: {@link UnsupportedProposalException}.
     */
    static void rejectGcReferenceType(ByteReader in, boolean typedReferences, int b, int at) {
        if (!typedReferences) return;
        String gc = UnsupportedProposalException.gcReferenceType(b);
        if (gc != null) throw in.unsupportedGc(gc, b, at);
    }

    /**
     * A heap type (s33): func (0x70), extern (0x6F) or a type index; GC's abstract heap types are
     * {@link UnsupportedProposalException}, other negative values malformed.
     */
    public static int heapType(ByteReader in, String malformed) {
        int at = in.position();
        long h = in.s33();
        if (h == ValType.HEAP_FUNC || h == ValType.HEAP_EXTERN || h == ValType.HEAP_EXN || h == ValType.HEAP_NOEXN) {
            return (int) h;
        }
        if (h < 0 && h >= -0x40) {
            String gc = UnsupportedProposalException.gcConstruct((int) h & 0x7F);
            if (gc != null && gc.startsWith("heap type")) throw in.unsupportedGc(gc, (int) h & 0x7F, at);
        }
        if (h < 0) throw in.malformed(malformed, at);
        if (h > Integer.MAX_VALUE) throw in.malformed("integer too large", at);
        return (int) h;
    }

    private static boolean isFunctionReferenceOpcode(Opcode o) {
        return o == Opcode.CALL_REF || o == Opcode.RETURN_CALL_REF || o == Opcode.REF_AS_NON_NULL
                || o == Opcode.BR_ON_NULL || o == Opcode.BR_ON_NON_NULL || isExceptionOpcode(o);
    }

    /** The exception-handling instructions (Wasm 3.0 and the legacy form): malformed in the 2.0 format. */
    public static boolean isExceptionOpcode(Opcode o) {
        return switch (o) {
            case TRY, CATCH, THROW, RETHROW, THROW_REF, DELEGATE, CATCH_ALL, TRY_TABLE -> true;
            default -> false;
        };
    }

    private DecodeException illegal(int b, long sub) {
        String what = sub < 0 ? String.format("0x%02x", b) : String.format("0x%02x %d", b, sub);
        return new DecodeException("illegal opcode " + what, in.section(), start, -1);
    }

    public int index() {
        return index;
    }

    public int index2() {
        return index2;
    }

    /**
     * The memory an instruction accesses: MEMARG and MEMARG_LANE (0 unless the flags name one), MEMORY
     * (memory.size, grow, fill), MEMORY_INIT; the destination of MEMORY_COPY ({@link #index2()} is its source).
     */
    public int memory() {
        return memory;
    }

    /** The alignment exponent (log2 of the byte alignment). */
    public int align() {
        return align;
    }

    /** The static offset of a memory access, unsigned 32-bit. */
    public long memOffset() {
        return memOffset;
    }

    public int lane() {
        return lane;
    }

    public int i32() {
        return (int) constant;
    }

    public long i64() {
        return constant;
    }

    public int f32Bits() {
        return (int) constant;
    }

    public long f64Bits() {
        return constant;
    }

    /** The 16 immediate bytes of {@code v128.const} or the lanes of {@code i8x16.shuffle}; do not modify. */
    public byte[] v128() {
        return v128;
    }

    public BlockType blockType() {
        return blockType;
    }

    /** The labels of {@code br_table}, without the default; do not modify. */
    public int[] brTargets() {
        return brTargets;
    }

    public int brDefault() {
        return brDefault;
    }

    /** The types of a typed {@code select}; do not modify. */
    public ValType[] selectTypes() {
        return selectTypes;
    }

    public ValType refType() {
        return refType;
    }

    /** The catch clauses of the last {@code try_table}: kinds ({@link #CATCH} ...), do not modify. */
    public int[] catchKinds() {
        return catchKinds;
    }

    /** The tag of each catch clause of the last {@code try_table} (-1 for the catch_all kinds); do not modify. */
    public int[] catchTags() {
        return catchTags;
    }

    /** The label of each catch clause of the last {@code try_table}; do not modify. */
    public int[] catchLabels() {
        return catchLabels;
    }
}
