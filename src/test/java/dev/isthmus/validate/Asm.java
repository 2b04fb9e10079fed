package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.Leb128;
import dev.isthmus.model.ValType;

import java.io.ByteArrayOutputStream;

/**
 * A one-line assembler for test instruction sequences: opcode names from the text format followed by their
 * immediates, separated by spaces; the final {@code end} is NOT added.
 *
 * <pre>
 *   block type:      []  |  i32  |  #3 (type index)
 *   br_table:        br_table 0,1,2        (last label is the default)
 *   typed select:    select_t i32          (select_t - for an empty list, select_t i32,i32 for two)
 *   memarg:          i32.load 2 0          (alignment exponent, offset); lane ops add the lane
 *   call_indirect:   call_indirect 0 0     (type, table)
 *   table.init:      table.init 0 0        (elem, table)      table.copy 0 1 (destination, source)
 *   memory.init:     memory.init 0         (data index; the memory byte is added)
 *   i8x16.shuffle:   i8x16.shuffle 0,1,...,15
 * </pre>
 */
final class Asm {
    private Asm() {}

    static byte[] code(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] words = text.isBlank() ? new String[0] : text.trim().split("\\s+");
        int i = 0;
        while (i < words.length) {
            String name = words[i++];
            Opcode op = name.equals("select_t") ? Opcode.SELECT_T : Opcode.fromText(name);
            if (op == null) throw new IllegalArgumentException("unknown instruction " + name);
            opcode(out, op);
            switch (op.immediate()) {
                case NONE -> { }
                case BLOCK_TYPE -> blockType(out, words[i++]);
                case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM -> u32(out, words[i++]);
                case BR_TABLE -> {
                    String[] labels = words[i++].split(",");
                    u32(out, Integer.toString(labels.length - 1));
                    for (String l : labels) u32(out, l);
                }
                case CALL_INDIRECT, TABLE_INIT, TABLE_COPY -> {
                    u32(out, words[i++]);
                    u32(out, words[i++]);
                }
                case SELECT_TYPES -> {
                    String list = words[i++];
                    String[] types = list.equals("-") ? new String[0] : list.split(",");
                    u32(out, Integer.toString(types.length));
                    for (String t : types) out.write(valType(t).code());
                }
                case MEMARG -> {
                    u32(out, words[i++]);
                    u32(out, words[i++]);
                }
                case MEMORY -> out.write(0);
                case MEMORY_INIT -> {
                    u32(out, words[i++]);
                    out.write(0);
                }
                case MEMORY_COPY -> {
                    out.write(0);
                    out.write(0);
                }
                case I32, I64 -> out.writeBytes(Leb128.encodeSigned(Long.parseLong(words[i++])));
                case F32 -> {
                    int bits = Float.floatToRawIntBits(Float.parseFloat(words[i++]));
                    for (int b = 0; b < 4; b++) out.write(bits >>> (8 * b));
                }
                case F64 -> {
                    long bits = Double.doubleToRawLongBits(Double.parseDouble(words[i++]));
                    for (int b = 0; b < 8; b++) out.write((int) (bits >>> (8 * b)));
                }
                case REF_TYPE -> out.write(valType(words[i++]).code());
                case V128 -> out.writeBytes(new byte[16]);
                case SHUFFLE -> {
                    for (String lane : words[i++].split(",")) out.write(Integer.parseInt(lane));
                }
                case LANE -> out.write(Integer.parseInt(words[i++]));
                case MEMARG_LANE -> {
                    u32(out, words[i++]);
                    u32(out, words[i++]);
                    out.write(Integer.parseInt(words[i++]));
                }
            }
        }
        return out.toByteArray();
    }

    /** The encoding of {@code op} with all-zero immediates (index 0, alignment 0, lane 0, empty block type). */
    static byte[] withZeroImmediates(Opcode op) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        opcode(out, op);
        switch (op.immediate()) {
            case NONE -> { }
            case BLOCK_TYPE -> out.write(0x40);
            case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM, MEMORY, I32, I64, LANE, TAG -> out.write(0);
            case TRY_TABLE -> out.writeBytes(new byte[] {0x40, 0});
            case BR_TABLE -> out.writeBytes(new byte[] {0, 0});
            case CALL_INDIRECT, TABLE_INIT, TABLE_COPY, MEMARG, MEMORY_INIT, MEMORY_COPY -> out.writeBytes(new byte[2]);
            case SELECT_TYPES -> out.writeBytes(new byte[] {1, (byte) ValType.I32.code()});
            case F32 -> out.writeBytes(new byte[4]);
            case F64 -> out.writeBytes(new byte[8]);
            case REF_TYPE -> out.write(ValType.FUNCREF.code());
            case V128, SHUFFLE -> out.writeBytes(new byte[16]);
            case MEMARG_LANE -> out.writeBytes(new byte[3]);
        }
        return out.toByteArray();
    }

    private static void opcode(ByteArrayOutputStream out, Opcode op) {
        if (op.prefix() != 0) {
            out.write(op.prefix());
            out.writeBytes(Leb128.encodeUnsigned(op.code()));
        } else {
            out.write(op.code());
        }
    }

    private static void blockType(ByteArrayOutputStream out, String word) {
        if (word.equals("[]")) out.write(0x40);
        else if (word.startsWith("#")) out.writeBytes(Leb128.encodeSigned(Long.parseLong(word.substring(1))));
        else out.write(valType(word).code());
    }

    private static void u32(ByteArrayOutputStream out, String word) {
        out.writeBytes(Leb128.encodeUnsigned(Long.parseLong(word)));
    }

    static ValType valType(String word) {
        for (ValType t : ValType.values()) if (t.text().equals(word)) return t;
        throw new IllegalArgumentException("not a value type: " + word);
    }
}
