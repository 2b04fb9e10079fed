package dev.isthmus.x64;

/**
 * The eight classic two-operand integer operations. Their encodings follow one pattern, kept here as data:
 * for operation number n, {@code r/m, r} is {@code 8n+1}, {@code r, r/m} is {@code 8n+3}, the accumulator-immediate
 * short form is {@code 8n+5}, and the immediate forms are {@code 0x81 /n} (imm32) and {@code 0x83 /n} (imm8,
 * sign-extended); each has a byte variant one below.
 */
public enum AluOp {
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP;

    final Opcode memoryRegister;
    final Opcode registerMemory;
    final Opcode accumulatorImmediate;
    final Opcode immediate;
    final Opcode immediate8;

    AluOp() {
        int n = ordinal();
        String mnemonic = name().toLowerCase();
        memoryRegister = Opcode.of(mnemonic, 8 * n + 1, Opcode.REG, Opcode.BYTE_FORM);
        registerMemory = Opcode.of(mnemonic, 8 * n + 3, Opcode.REG, Opcode.BYTE_FORM);
        accumulatorImmediate = Opcode.of(mnemonic, 8 * n + 5, Opcode.REG, Opcode.BYTE_FORM);
        immediate = Opcode.of(mnemonic, 0x81, n, Opcode.BYTE_FORM);
        immediate8 = Opcode.of(mnemonic, 0x83, n, 0);
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return memoryRegister.mnemonic();
    }
}
