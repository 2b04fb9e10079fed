// Written by hand in the shape jextract 22 generates (see jextract/zydis.args).
package dev.isthmus.zydis;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfShort;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ZydisDecodedOperand_ {
 *     ZyanU8 id;                           // @0
 *     ZydisOperandVisibility visibility;   // @4
 *     ZydisOperandActions actions;         // @8
 *     ZydisOperandEncoding encoding;       // @12
 *     ZyanU16 size;                        // @16 (bits)
 *     ZydisElementType element_type;       // @20
 *     ZydisElementSize element_size;       // @24
 *     ZyanU16 element_count;               // @26
 *     ZydisOperandAttributes attributes;   // @28
 *     ZydisOperandType type;               // @32
 *     union { reg; mem; ptr; imm; };       // @40, 40 bytes
 * }   // 80 bytes, 8-aligned; ZydisDecoderDecodeFull fills an array of ZYDIS_MAX_OPERAND_COUNT (10)
 * }
 * The anonymous union, which jextract would generate as nested classes, is an opaque block here.
 */
public class ZydisDecodedOperand {

    ZydisDecodedOperand() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            Zydis_h.C_CHAR.withName("id"),
            MemoryLayout.paddingLayout(3),
            Zydis_h.C_INT.withName("visibility"),
            Zydis_h.C_CHAR.withName("actions"),
            MemoryLayout.paddingLayout(3),
            Zydis_h.C_INT.withName("encoding"),
            Zydis_h.C_SHORT.withName("size"),
            MemoryLayout.paddingLayout(2),
            Zydis_h.C_INT.withName("element_type"),
            Zydis_h.C_SHORT.withName("element_size"),
            Zydis_h.C_SHORT.withName("element_count"),
            Zydis_h.C_CHAR.withName("attributes"),
            MemoryLayout.paddingLayout(3),
            Zydis_h.C_INT.withName("type"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(5, Zydis_h.C_LONG_LONG).withName("$anon$union")
    ).withName("ZydisDecodedOperand_");

    /** The layout of this struct. */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt visibility$LAYOUT = (OfInt) $LAYOUT.select(groupElement("visibility"));
    private static final long visibility$OFFSET = $LAYOUT.byteOffset(groupElement("visibility"));

    /** Getter for field {@code ZydisOperandVisibility visibility}. */
    public static int visibility(MemorySegment struct) {
        return struct.get(visibility$LAYOUT, visibility$OFFSET);
    }

    private static final OfShort size$LAYOUT = (OfShort) $LAYOUT.select(groupElement("size"));
    private static final long size$OFFSET = $LAYOUT.byteOffset(groupElement("size"));

    /** Getter for field {@code ZyanU16 size}. */
    public static short size(MemorySegment struct) {
        return struct.get(size$LAYOUT, size$OFFSET);
    }

    private static final OfInt type$LAYOUT = (OfInt) $LAYOUT.select(groupElement("type"));
    private static final long type$OFFSET = $LAYOUT.byteOffset(groupElement("type"));

    public static final long type$offset() {
        return type$OFFSET;
    }

    /** Getter for field {@code ZydisOperandType type}. */
    public static int type(MemorySegment struct) {
        return struct.get(type$LAYOUT, type$OFFSET);
    }

    /** Size of this struct in bytes. */
    public static long sizeof() {
        return layout().byteSize();
    }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /** Allocate an array of {@code elementCount} operands using {@code allocator}. */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /** The operand at {@code index} of an array. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }
}
