// Written by hand in the shape jextract 22 generates (see jextract/zydis.args).
package dev.isthmus.zydis;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * {@code struct ZydisFormatter_}: 584 bytes, 8-aligned. Only ever passed by pointer, so its members (style,
 * properties and about forty function pointers, which jextract would spell out) are kept as one opaque block.
 */
public class ZydisFormatter {

    ZydisFormatter() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(584 / 8, Zydis_h.C_LONG_LONG).withName("opaque")
    ).withName("ZydisFormatter_");

    /** The layout of this struct. */
    public static final GroupLayout layout() {
        return $LAYOUT;
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
