package dev.isthmus.binary;

import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.DataSegment;
import dev.isthmus.model.SegmentMode;

import java.util.List;

/**
 * The data section (id 11): a vector of data segments in one of three encodings, selected by a u32 flag word.
 * <pre>
 *   flags  mode     memory   offset  bytes
 *   0      active   0        expr    vec(byte)
 *   1      passive                   vec(byte)
 *   2      active   memidx   expr    vec(byte)
 * </pre>
 */
final class DataSectionDecoder {
    private DataSectionDecoder() {}

    static List<DataSegment> decode(ModuleReader r) {
        return r.vector(() -> segment(r));
    }

    private static DataSegment segment(ModuleReader r) {
        int at = r.position();
        long flags = r.u32();
        return switch ((int) Math.min(flags, 3)) {
            case 0 -> {
                ConstExpr offset = r.constExpr();
                yield new DataSegment(SegmentMode.ACTIVE, 0, offset, r.byteString());
            }
            case 1 -> new DataSegment(SegmentMode.PASSIVE, 0, null, r.byteString());
            case 2 -> {
                int memory = r.index();
                ConstExpr offset = r.constExpr();
                yield new DataSegment(SegmentMode.ACTIVE, memory, offset, r.byteString());
            }
            default -> throw r.malformed("malformed data segment kind", at);
        };
    }
}
