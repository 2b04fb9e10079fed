package dev.isthmus.robustness;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Derives damaged module binaries from a well-formed (or at least plausible) one. Each call picks one mutation:
 *
 * <pre>
 *   bit flips        1..4 random bits
 *   byte overwrite   a random position gets 0x00 / 0x7F / 0x80 / 0xFF / a random byte
 *   insert / delete  1..8 bytes at a random position
 *   truncate         cut the module at a random length
 *   duplicate        copy a random span right after itself
 *   LEB stretch      a LEB128 at a random position re-encoded longer (up to and past the 5/10-byte limit) or
 *                    with unused high bits set in its last byte
 *   LEB extreme      a LEB128 replaced by 0, 2^32-1, 2^32, 2^31, or 2^64-1 (10 bytes)
 *   section size     a section header's size made 0, ±1, ±random, 2^32-1, or one past the end
 *   vector count     the first LEB inside a section (usually its vector length) made huge or ±1
 *   code opcode      a byte inside the code section replaced by a common one-byte opcode (drop, select,
 *                    local.get, i32.const, i64.add, f32.mul, br, end, ...), which often keeps the module
 *                    well-formed but ill-typed, so the validator is exercised rather than the decoder
 * </pre>
 *
 * The module layout is found by walking the section headers after the 8-byte preamble; mutations that need a
 * section fall back to bit flips when there is none.
 */
final class BinaryMutator {
    private static final int[] SPECIAL_BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x0B, 0xFD};

    /** One section header: where its size LEB is, how long it is, and the content it announces. */
    private record Section(int sizeAt, int sizeLength, int contentStart, long size) {}

    private BinaryMutator() {}

    /** Mutation names, for counting what ran (index = mutation number). */
    static final String[] NAMES = {"bit flips", "byte overwrite", "insert", "delete", "truncate", "duplicate",
            "LEB stretch", "LEB extreme", "section size", "vector count", "code opcode"};

    /** One-byte opcodes whose immediates are absent or a single small LEB. */
    private static final int[] COMMON_OPCODES = {0x00, 0x01, 0x0B, 0x0C, 0x0D, 0x0F, 0x1A, 0x1B, 0x20, 0x21, 0x22,
            0x23, 0x24, 0x41, 0x45, 0x46, 0x50, 0x67, 0x6A, 0x71, 0x7C, 0x8B, 0x92, 0x99, 0xA0, 0xA7, 0xAC, 0xB2,
            0xBC, 0xD1};

    /** A copy of {@code in} damaged by mutation number {@code choice} (an index into {@link #NAMES}). */
    static byte[] mutate(byte[] in, int choice, RandomGenerator rnd) {
        if (in.length == 0) return new byte[] {(byte) rnd.nextInt(256)};
        return switch (choice) {
            case 0 -> flipBits(in, rnd);
            case 1 -> overwrite(in, rnd);
            case 2 -> insert(in, rnd);
            case 3 -> delete(in, rnd);
            case 4 -> Arrays.copyOf(in, rnd.nextInt(in.length));
            case 5 -> duplicate(in, rnd);
            case 6 -> stretchLeb(in, rnd.nextInt(in.length), rnd);
            case 7 -> extremeLeb(in, rnd.nextInt(in.length), rnd);
            case 8 -> lieAboutSectionSize(in, rnd);
            case 9 -> lieAboutVectorCount(in, rnd);
            case 10 -> replaceCodeByte(in, rnd);
            default -> throw new IllegalArgumentException("mutation " + choice);
        };
    }

    private static byte[] flipBits(byte[] in, RandomGenerator rnd) {
        byte[] out = in.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int i = 0; i < flips; i++) out[rnd.nextInt(out.length)] ^= (byte) (1 << rnd.nextInt(8));
        return out;
    }

    private static byte[] overwrite(byte[] in, RandomGenerator rnd) {
        byte[] out = in.clone();
        int v = rnd.nextInt(3) == 0 ? rnd.nextInt(256) : SPECIAL_BYTES[rnd.nextInt(SPECIAL_BYTES.length)];
        out[rnd.nextInt(out.length)] = (byte) v;
        return out;
    }

    private static byte[] insert(byte[] in, RandomGenerator rnd) {
        byte[] extra = new byte[1 + rnd.nextInt(8)];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : SPECIAL_BYTES[rnd.nextInt(SPECIAL_BYTES.length)]);
        }
        return splice(in, rnd.nextInt(in.length + 1), 0, extra);
    }

    private static byte[] delete(byte[] in, RandomGenerator rnd) {
        int at = rnd.nextInt(in.length);
        int n = Math.min(1 + rnd.nextInt(8), in.length - at);
        return splice(in, at, n, new byte[0]);
    }

    private static byte[] duplicate(byte[] in, RandomGenerator rnd) {
        int at = rnd.nextInt(in.length);
        int n = Math.min(1 + rnd.nextInt(64), in.length - at);
        return splice(in, at + n, 0, Arrays.copyOfRange(in, at, at + n));
    }

    /** Re-encodes the LEB128 starting at {@code at} with padding bytes, or with unused bits set in its last byte. */
    private static byte[] stretchLeb(byte[] in, int at, RandomGenerator rnd) {
        int length = lebLength(in, at);
        long value = lebValue(in, at, length);
        byte[] encoded;
        if (rnd.nextInt(4) == 0) {
            // unused bits: a 5-byte u32 whose last byte has bits above bit 3 set, or a negative-looking s32 end
            encoded = padded(value & 0xFFFF_FFFFL, 5);
            encoded[4] |= (byte) (0x10 << rnd.nextInt(3));
        } else {
            int target = switch (rnd.nextInt(4)) {
                case 0 -> 5;
                case 1 -> 6;
                case 2 -> 10;
                default -> 11;
            };
            encoded = padded(value, Math.max(target, length));
        }
        return splice(in, at, length, encoded);
    }

    private static byte[] extremeLeb(byte[] in, int at, RandomGenerator rnd) {
        int length = lebLength(in, at);
        long value = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFFL;
            case 2 -> 0x1_0000_0000L;
            case 3 -> 0x8000_0000L;
            case 4 -> 0x7FFF_FFFFL;
            default -> -1L;
        };
        return splice(in, at, length, unsigned(value));
    }

    private static byte[] lieAboutSectionSize(byte[] in, RandomGenerator rnd) {
        List<Section> sections = sections(in);
        if (sections.isEmpty()) return flipBits(in, rnd);
        Section s = sections.get(rnd.nextInt(sections.size()));
        long remaining = in.length - s.contentStart();
        long size = switch (rnd.nextInt(7)) {
            case 0 -> 0;
            case 1 -> s.size() + 1;
            case 2 -> Math.max(0, s.size() - 1);
            case 3 -> 0xFFFF_FFFFL;
            case 4 -> remaining + 1;
            case 5 -> Math.max(0, s.size() + rnd.nextInt(33) - 16);
            default -> rnd.nextLong(0x1_0000_0000L);
        };
        byte[] encoded = rnd.nextBoolean() ? unsigned(size) : padded(size, Math.max(s.sizeLength(), 5));
        return splice(in, s.sizeAt(), s.sizeLength(), encoded);
    }

    private static byte[] lieAboutVectorCount(byte[] in, RandomGenerator rnd) {
        List<Section> sections = sections(in);
        List<Section> nonEmpty = new ArrayList<>();
        for (Section s : sections) if (s.size() > 0) nonEmpty.add(s);
        if (nonEmpty.isEmpty()) return flipBits(in, rnd);
        Section s = nonEmpty.get(rnd.nextInt(nonEmpty.size()));
        int at = s.contentStart();
        int length = lebLength(in, at);
        long count = lebValue(in, at, length);
        long lie = switch (rnd.nextInt(5)) {
            case 0 -> count + 1;
            case 1 -> Math.max(0, count - 1);
            case 2 -> 0x0FFF_FFFFL;
            case 3 -> 0xFFFF_FFFFL;
            default -> 100_000_000L;
        };
        byte[] mutated = splice(in, at, length, unsigned(lie));
        // keep the section size honest about the new count's length half of the time, so the lie reaches the body
        if (rnd.nextBoolean()) {
            long newSize = s.size() - length + unsigned(lie).length;
            byte[] size = unsigned(newSize);
            mutated = splice(mutated, s.sizeAt(), s.sizeLength(), size);
        }
        return mutated;
    }

    private static byte[] replaceCodeByte(byte[] in, RandomGenerator rnd) {
        for (Section s : sections(in)) {
            boolean isCode = in[s.sizeAt() - 1] == 10;
            if (isCode && s.size() > 0 && s.contentStart() + s.size() <= in.length) {
                byte[] out = in.clone();
                out[s.contentStart() + (int) rnd.nextLong(s.size())] =
                        (byte) COMMON_OPCODES[rnd.nextInt(COMMON_OPCODES.length)];
                return out;
            }
        }
        return overwrite(in, rnd);
    }

    /** Section headers after the preamble, as far as they can be walked. */
    private static List<Section> sections(byte[] in) {
        List<Section> out = new ArrayList<>();
        int pos = 8;
        while (pos + 1 < in.length && out.size() < 64) {
            int sizeAt = pos + 1;
            int length = lebLength(in, sizeAt);
            long size = lebValue(in, sizeAt, length);
            int contentStart = sizeAt + length;
            if (contentStart > in.length) break;
            out.add(new Section(sizeAt, length, contentStart, size));
            if (size > in.length - contentStart) break;
            pos = (int) (contentStart + size);
        }
        return out;
    }

    /** Length of the LEB128 at {@code at}: up to the first byte without the continuation bit, at most 10 bytes. */
    private static int lebLength(byte[] in, int at) {
        int n = 0;
        while (at + n < in.length && n < 10) {
            if ((in[at + n++] & 0x80) == 0) break;
        }
        return Math.max(n, Math.min(1, in.length - at));
    }

    private static long lebValue(byte[] in, int at, int length) {
        long v = 0;
        for (int i = 0; i < length && i < 10; i++) v |= (long) (in[at + i] & 0x7F) << (7 * i);
        return v;
    }

    /** Minimal unsigned LEB128 of {@code value} (treated as unsigned 64-bit). */
    static byte[] unsigned(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
        return out.toByteArray();
    }

    /** Unsigned LEB128 of {@code value} padded with continuation bytes to {@code length} bytes (if it fits). */
    static byte[] padded(long value, int length) {
        byte[] minimal = unsigned(value);
        if (minimal.length >= length) return minimal;
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) ((value & 0x7F) | (i < length - 1 ? 0x80 : 0));
            value >>>= 7;
        }
        return out;
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        byte[] out = new byte[in.length - remove + insert.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
        return out;
    }
}
