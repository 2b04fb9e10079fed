package dev.isthmus.x64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Constants (4, 8 or 16 bytes, or any blob) placed after the code, each aligned to its own size, and referenced
 * through labels with RIP-relative operands ({@code Mem.rip(label)}). Equal constants with equal alignment share one slot.
 *
 * <pre>
 *   | code ... | int3 padding | const 16 (align 16) | const 8 (align 8) | const 4 (align 4) | jump tables (align 4) |
 * </pre>
 * Larger alignments are laid out first, so padding is only needed once after the code. Jump tables come last: one
 * 32-bit entry per target, {@code target - table} (position-independent), written when the pool is laid out, by which
 * time every target must be bound.
 */
final class ConstantPool {
    private record Key(List<Byte> data, int alignment) {
    }

    private record Entry(byte[] data, int alignment, Label label) {
    }

    private record JumpTable(Label label, Label[] targets) {
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final List<JumpTable> jumpTables = new ArrayList<>();

    /** The label of a new table of {@code targets.length} 32-bit offsets {@code target - table}. */
    Label jumpTable(Label[] targets) {
        Label table = new Label();
        jumpTables.add(new JumpTable(table, targets.clone()));
        return table;
    }

    /** The label of a constant with these bytes and this alignment (a power of two), created on first use. */
    Label constant(byte[] data, int alignment) {
        if (Integer.bitCount(alignment) != 1) throw new IllegalArgumentException("alignment must be a power of two");
        List<Byte> bytes = new ArrayList<>(data.length);
        for (byte b : data) bytes.add(b);
        return entries.computeIfAbsent(new Key(bytes, alignment),
                k -> new Entry(Arrays.copyOf(data, data.length), alignment, new Label())).label();
    }

    /** Emits every constant into {@code buffer} (largest alignment first) and binds its label. */
    void emitInto(CodeBuffer buffer, int paddingByte) {
        entries.values().stream()
                .sorted((a, b) -> Integer.compare(b.alignment(), a.alignment()))
                .forEach(entry -> {
                    while (buffer.position() % entry.alignment() != 0) buffer.emit8(paddingByte);
                    entry.label().bind(buffer, buffer.position());
                    buffer.emitBytes(entry.data());
                });
        entries.clear();
        for (JumpTable table : jumpTables) {
            while (buffer.position() % 4 != 0) buffer.emit8(paddingByte);
            table.label().bind(buffer, buffer.position());
            for (Label target : table.targets()) {
                if (!target.isBound()) throw new IllegalStateException("jump table target not bound");
                buffer.emit32(target.position() - table.label().position());
            }
        }
        jumpTables.clear();
    }
}
