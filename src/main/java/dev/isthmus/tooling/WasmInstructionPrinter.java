package dev.isthmus.tooling;

import dev.isthmus.binary.BlockType;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;

import java.util.HexFormat;

/**
 * Prints the instruction an {@link InstructionReader} has just read in the text format's flat (non-folded) syntax,
 * e.g. {@code "i32.load offset=8 align=4"}, {@code "block (result i32)"}, {@code "br_table 0 1 2"}. Indices print
 * as numbers; names are the caller's business.
 */
final class WasmInstructionPrinter {
    private WasmInstructionPrinter() {}

    /** The text of the last instruction {@code reader} returned from {@link InstructionReader#next()}. */
    static String print(InstructionReader reader) {
        Opcode op = reader.opcode();
        String name = op.text();
        String immediates = switch (op.immediate()) {
            case NONE -> "";
            case BLOCK_TYPE -> blockType(reader.blockType());
            case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM, TAG -> Integer.toUnsignedString(reader.index());
            case BR_TABLE -> brTable(reader.brTargets(), reader.brDefault());
            case CALL_INDIRECT -> reader.index2() == 0 ? "(type " + reader.index() + ")"
                    : reader.index2() + " (type " + reader.index() + ")";
            case SELECT_TYPES -> results(reader.selectTypes());
            case MEMARG -> memArg(reader);
            case MEMARG_LANE -> (memArg(reader) + " " + reader.lane()).strip();
            case MEMORY -> reader.memory() == 0 ? "" : Integer.toUnsignedString(reader.memory());
            case MEMORY_COPY -> reader.index() == 0 && reader.index2() == 0 ? ""
                    : Integer.toUnsignedString(reader.index()) + " " + Integer.toUnsignedString(reader.index2());
            case MEMORY_INIT -> (reader.memory() == 0 ? "" : Integer.toUnsignedString(reader.memory()) + " ")
                    + Integer.toUnsignedString(reader.index());
            case I32 -> Integer.toString(reader.i32());
            case I64 -> Long.toString(reader.i64());
            case F32 -> f32(reader.f32Bits());
            case F64 -> f64(reader.f64Bits());
            case REF_TYPE -> reader.refType() == ValType.FUNCREF ? "func"
                    : reader.refType() == ValType.EXTERNREF ? "extern"
                    : reader.refType() == ValType.EXNREF ? "exn"
                    : reader.refType() == ValType.NULLEXNREF ? "noexn" : Integer.toString(reader.refType().heapType());
            case TYPE -> Integer.toUnsignedString(reader.index());
            case TABLE_INIT -> reader.index2() + " " + Integer.toUnsignedString(reader.index());
            case TABLE_COPY -> reader.index() + " " + reader.index2();
            case V128 -> "i8x16 " + HexFormat.ofDelimiter(" ").withPrefix("0x").formatHex(reader.v128());
            case SHUFFLE -> lanes(reader.v128());
            case LANE -> Integer.toString(reader.lane());
            case TRY_TABLE -> (blockType(reader.blockType()) + catches(reader)).strip();
        };
        return immediates.isEmpty() ? name : name + " " + immediates;
    }

    private static String blockType(BlockType type) {
        if (type.isEmpty()) return "";
        if (type.isTypeIndex()) return "(type " + type.typeIndex() + ")";
        return "(result " + type.result().text() + ")";
    }

    private static final String[] CATCH_KINDS = {"catch", "catch_ref", "catch_all", "catch_all_ref"};

    /** try_table's clauses: (catch x l) (catch_ref x l) (catch_all l) (catch_all_ref l). */
    private static String catches(InstructionReader reader) {
        StringBuilder s = new StringBuilder();
        int[] kinds = reader.catchKinds();
        for (int i = 0; i < kinds.length; i++) {
            s.append(" (").append(CATCH_KINDS[kinds[i]]);
            if (kinds[i] <= InstructionReader.CATCH_REF) s.append(' ').append(Integer.toUnsignedString(reader.catchTags()[i]));
            s.append(' ').append(Integer.toUnsignedString(reader.catchLabels()[i])).append(')');
        }
        return s.toString();
    }

    private static String brTable(int[] targets, int defaultTarget) {
        StringBuilder s = new StringBuilder();
        for (int target : targets) s.append(Integer.toUnsignedString(target)).append(' ');
        return s.append(Integer.toUnsignedString(defaultTarget)).toString();
    }

    private static String results(ValType[] types) {
        StringBuilder s = new StringBuilder("(result");
        for (ValType type : types) s.append(' ').append(type.text());
        return s.append(')').toString();
    }

    private static String memArg(InstructionReader reader) {
        StringBuilder s = new StringBuilder();
        if (reader.memory() != 0) s.append(Integer.toUnsignedString(reader.memory())).append(' ');
        if (reader.memOffset() != 0) s.append("offset=").append(reader.memOffset()).append(' ');
        return s.append("align=").append(1L << reader.align()).toString();
    }

    private static String lanes(byte[] lanes) {
        StringBuilder s = new StringBuilder();
        for (byte lane : lanes) s.append(s.isEmpty() ? "" : " ").append(lane & 0xFF);
        return s.toString();
    }

    private static String f32(int bits) {
        float value = Float.intBitsToFloat(bits);
        if (Float.isNaN(value)) return (bits < 0 ? "-" : "") + "nan:0x" + Integer.toHexString(bits & 0x7FFFFF);
        if (Float.isInfinite(value)) return value > 0 ? "inf" : "-inf";
        return Float.toHexString(value) + " (;=" + value + ";)";
    }

    private static String f64(long bits) {
        double value = Double.longBitsToDouble(bits);
        if (Double.isNaN(value)) return (bits < 0 ? "-" : "") + "nan:0x" + Long.toHexString(bits & 0xFFFFFFFFFFFFFL);
        if (Double.isInfinite(value)) return value > 0 ? "inf" : "-inf";
        return Double.toHexString(value) + " (;=" + value + ";)";
    }
}
