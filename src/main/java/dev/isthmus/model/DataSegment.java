package dev.isthmus.model;

/**
 * A data segment.
 *
 * @param mode        active or passive
 * @param memoryIndex the target memory (active segments only, else 0)
 * @param offset      the offset expression (active segments only, else null)
 * @param bytes       the initial bytes
 */
public record DataSegment(SegmentMode mode, int memoryIndex, ConstExpr offset, byte[] bytes) {
    public DataSegment {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Direct access without copying; callers must not modify the array. */
    public byte[] bytesUnsafe() {
        return bytes;
    }
}
