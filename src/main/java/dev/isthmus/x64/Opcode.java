package dev.isthmus.x64;

/**
 * One instruction encoding, as data: mandatory prefix, opcode map, opcode byte and the ModRM.reg extension.
 *
 * <pre>
 *   [66] [F2|F3] [REX] [0F [38|3A]] opcode [ModRM [SIB] [disp]] [imm]
 *    |      |                  |       |       \ reg field = register, or the /digit extension
 *    |      prefix (mandatory) map     opcode (for BYTE_FORM pairs the 32-bit one; the byte one is opcode-1)
 *    operand-size prefix for 16-bit operations (from OperandSize.WORD)
 * </pre>
 *
 * @param mnemonic  the Intel mnemonic (for diagnostics and tests)
 * @param prefix    0, or the mandatory prefix 0x66, 0xF2 or 0xF3
 * @param map       0 (one-byte map), 0x0F, 0x0F38 or 0x0F3A
 * @param opcode    the opcode byte
 * @param extension the ModRM.reg opcode extension 0..7 ({@code /digit}), or {@link #REG} when ModRM.reg is a register
 * @param flags     {@link #BYTE_FORM}, {@link #DEFAULT_64}
 */
public record Opcode(String mnemonic, int prefix, int map, int opcode, int extension, int flags) {
    /** ModRM.reg holds a register operand ({@code /r}). */
    public static final int REG = -1;
    /** The instruction has a byte variant at {@code opcode - 1} (the "w" bit): used for {@link OperandSize#BYTE}. */
    public static final int BYTE_FORM = 1;
    /** 64-bit is the default operand size (push, pop, call, jmp): no REX.W for {@link OperandSize#QWORD}. */
    public static final int DEFAULT_64 = 2;

    public Opcode {
        if (prefix != 0 && prefix != 0x66 && prefix != 0xF2 && prefix != 0xF3) {
            throw new IllegalArgumentException("bad mandatory prefix " + Integer.toHexString(prefix));
        }
        if (map != 0 && map != 0x0F && map != 0x0F38 && map != 0x0F3A) {
            throw new IllegalArgumentException("bad opcode map " + Integer.toHexString(map));
        }
        if (extension < REG || extension > 7) throw new IllegalArgumentException("bad extension " + extension);
    }

    /** A one-byte-map opcode with no mandatory prefix. */
    public static Opcode of(String mnemonic, int opcode, int extension, int flags) {
        return new Opcode(mnemonic, 0, 0, opcode, extension, flags);
    }

    /** An 0x0F-map opcode with an optional mandatory prefix. */
    public static Opcode twoByte(String mnemonic, int prefix, int opcode, int extension, int flags) {
        return new Opcode(mnemonic, prefix, 0x0F, opcode, extension, flags);
    }

    /** This encoding with {@code delta} added to the opcode byte (condition codes, register-in-opcode forms). */
    public Opcode plus(int delta) {
        return new Opcode(mnemonic, prefix, map, opcode + delta, extension, flags);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
