// Written by hand in the shape jextract 22 generates (see jextract/zydis.args).
package dev.isthmus.zydis;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ZydisDecodedInstruction_ {
 *     ZydisMachineMode machine_mode;       // @0
 *     ZydisMnemonic mnemonic;              // @4
 *     ZyanU8 length;                       // @8
 *     ZydisInstructionEncoding encoding;   // @12
 *     ZydisOpcodeMap opcode_map;           // @16
 *     ZyanU8 opcode;                       // @20
 *     ZyanU8 stack_width;                  // @21
 *     ZyanU8 operand_width;                // @22
 *     ZyanU8 address_width;                // @23
 *     ZyanU8 operand_count;                // @24
 *     ZyanU8 operand_count_visible;        // @25
 *     ZydisInstructionAttributes attributes;   // @32
 *     const ZydisAccessedFlags *cpu_flags;     // @40
 *     const ZydisAccessedFlags *fpu_flags;     // @48
 *     struct { ... } avx;                  // @56, 36 bytes
 *     struct { ... } meta;                 // @92, 20 bytes
 *     struct { ... } raw;                  // @112, 216 bytes
 * }   // 328 bytes, 8-aligned
 * }
 * The nested {@code avx}, {@code meta} and {@code raw} structs, which jextract would generate as nested classes,
 * are kept as opaque byte blocks here: the tests only read the top-level fields.
 */
public class ZydisDecodedInstruction {

    ZydisDecodedInstruction() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            Zydis_h.C_INT.withName("machine_mode"),
            Zydis_h.C_INT.withName("mnemonic"),
            Zydis_h.C_CHAR.withName("length"),
            MemoryLayout.paddingLayout(3),
            Zydis_h.C_INT.withName("encoding"),
            Zydis_h.C_INT.withName("opcode_map"),
            Zydis_h.C_CHAR.withName("opcode"),
            Zydis_h.C_CHAR.withName("stack_width"),
            Zydis_h.C_CHAR.withName("operand_width"),
            Zydis_h.C_CHAR.withName("address_width"),
            Zydis_h.C_CHAR.withName("operand_count"),
            Zydis_h.C_CHAR.withName("operand_count_visible"),
            MemoryLayout.paddingLayout(6),
            Zydis_h.C_LONG_LONG.withName("attributes"),
            Zydis_h.C_POINTER.withName("cpu_flags"),
            Zydis_h.C_POINTER.withName("fpu_flags"),
            MemoryLayout.sequenceLayout(36, Zydis_h.C_CHAR).withName("avx"),
            MemoryLayout.sequenceLayout(20, Zydis_h.C_CHAR).withName("meta"),
            MemoryLayout.sequenceLayout(216, Zydis_h.C_CHAR).withName("raw")
    ).withName("ZydisDecodedInstruction_");

    /** The layout of this struct. */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt mnemonic$LAYOUT = (OfInt) $LAYOUT.select(groupElement("mnemonic"));
    private static final long mnemonic$OFFSET = $LAYOUT.byteOffset(groupElement("mnemonic"));

    public static final long mnemonic$offset() {
        return mnemonic$OFFSET;
    }

    /** Getter for field {@code ZydisMnemonic mnemonic}. */
    public static int mnemonic(MemorySegment struct) {
        return struct.get(mnemonic$LAYOUT, mnemonic$OFFSET);
    }

    private static final OfByte length$LAYOUT = (OfByte) $LAYOUT.select(groupElement("length"));
    private static final long length$OFFSET = $LAYOUT.byteOffset(groupElement("length"));

    public static final long length$offset() {
        return length$OFFSET;
    }

    /** Getter for field {@code ZyanU8 length}. */
    public static byte length(MemorySegment struct) {
        return struct.get(length$LAYOUT, length$OFFSET);
    }

    private static final OfByte operand_count$LAYOUT = (OfByte) $LAYOUT.select(groupElement("operand_count"));
    private static final long operand_count$OFFSET = $LAYOUT.byteOffset(groupElement("operand_count"));

    public static final long operand_count$offset() {
        return operand_count$OFFSET;
    }

    /** Getter for field {@code ZyanU8 operand_count}. */
    public static byte operand_count(MemorySegment struct) {
        return struct.get(operand_count$LAYOUT, operand_count$OFFSET);
    }

    private static final OfByte operand_count_visible$LAYOUT =
            (OfByte) $LAYOUT.select(groupElement("operand_count_visible"));
    private static final long operand_count_visible$OFFSET = $LAYOUT.byteOffset(groupElement("operand_count_visible"));

    public static final long operand_count_visible$offset() {
        return operand_count_visible$OFFSET;
    }

    /** Getter for field {@code ZyanU8 operand_count_visible}. */
    public static byte operand_count_visible(MemorySegment struct) {
        return struct.get(operand_count_visible$LAYOUT, operand_count_visible$OFFSET);
    }

    /** Size of this struct in bytes. */
    public static long sizeof() {
        return layout().byteSize();
    }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }
}
