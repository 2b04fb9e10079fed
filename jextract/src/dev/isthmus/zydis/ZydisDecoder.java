// Written by hand in the shape jextract 22 generates (see jextract/zydis.args).
package dev.isthmus.zydis;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ZydisDecoder_ {
 *     ZydisMachineMode machine_mode;
 *     ZydisStackWidth stack_width;
 *     ZyanBool decoder_mode[9];
 * }
 * }
 */
public class ZydisDecoder {

    ZydisDecoder() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            Zydis_h.C_INT.withName("machine_mode"),
            Zydis_h.C_INT.withName("stack_width"),
            MemoryLayout.sequenceLayout(9, Zydis_h.C_CHAR).withName("decoder_mode"),
            MemoryLayout.paddingLayout(3)
    ).withName("ZydisDecoder_");

    /** The layout of this struct. */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt machine_mode$LAYOUT = (OfInt) $LAYOUT.select(groupElement("machine_mode"));
    private static final long machine_mode$OFFSET = $LAYOUT.byteOffset(groupElement("machine_mode"));

    public static final long machine_mode$offset() {
        return machine_mode$OFFSET;
    }

    /** Getter for field {@code ZydisMachineMode machine_mode}. */
    public static int machine_mode(MemorySegment struct) {
        return struct.get(machine_mode$LAYOUT, machine_mode$OFFSET);
    }

    private static final OfInt stack_width$LAYOUT = (OfInt) $LAYOUT.select(groupElement("stack_width"));
    private static final long stack_width$OFFSET = $LAYOUT.byteOffset(groupElement("stack_width"));

    public static final long stack_width$offset() {
        return stack_width$OFFSET;
    }

    /** Getter for field {@code ZydisStackWidth stack_width}. */
    public static int stack_width(MemorySegment struct) {
        return struct.get(stack_width$LAYOUT, stack_width$OFFSET);
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
