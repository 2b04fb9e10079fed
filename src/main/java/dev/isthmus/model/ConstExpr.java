package dev.isthmus.model;

/**
 * A constant expression (global initialisers, segment offsets, element items) as its instruction bytes,
 * including the final {@code end} (0x0B).
 *
 * @param code   the instruction bytes
 * @param offset the byte offset of the first instruction in the module binary, for error messages
 *               (-1 for expressions the decoder synthesised, e.g. from element function indices)
 */
public record ConstExpr(byte[] code, int offset) {
    public ConstExpr {
        code = code.clone();
    }

    @Override
    public byte[] code() {
        return code.clone();
    }

    /** Direct access without copying; callers must not modify the array. */
    public byte[] codeUnsafe() {
        return code;
    }

    /** The expression {@code ref.func index; end}. */
    public static ConstExpr refFunc(int index) {
        byte[] leb = Leb128.encodeUnsigned(index);
        byte[] code = new byte[leb.length + 2];
        code[0] = (byte) 0xD2;
        System.arraycopy(leb, 0, code, 1, leb.length);
        code[code.length - 1] = 0x0B;
        return new ConstExpr(code, -1);
    }
}
