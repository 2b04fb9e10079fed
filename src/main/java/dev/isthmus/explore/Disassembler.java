package dev.isthmus.explore;

import dev.isthmus.zydis.ZydisDecodedInstruction;
import dev.isthmus.zydis.ZydisDecodedOperand;
import dev.isthmus.zydis.ZydisDecoder;
import dev.isthmus.zydis.ZydisFormatter;
import dev.isthmus.zydis.Zydis_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/**
 * Decodes x86-64 machine code into Intel-syntax text with Zydis 4.0 (memory operand sizes always printed,
 * branch targets absolute from the given runtime address). Used by the {@code explore} command and by the
 * assembler, compiler and runtime listing tests. The library is loaded lazily, on the first {@link #open()}: nothing
 * else in the runtime touches it, and when {@code libZydis.so.4.0} is absent {@code open()} throws
 * {@link UnavailableException}.
 *
 * <pre>{@code
 * try (Disassembler zydis = Disassembler.open()) {
 *     System.out.print(zydis.listing(code, 0x1000));
 *     Disassembler.Decoded first = zydis.decodeOne(code, 0, 0x1000);
 * }
 * }</pre>
 * An instance holds native decoder and formatter state and is confined to the thread that opened it.
 */
public final class Disassembler implements AutoCloseable {
    private static final int MAX_INSTRUCTION_LENGTH = 15;
    private static final int TEXT_CAPACITY = 256;

    /**
     * One decoded instruction.
     *
     * @param length its length in bytes, or 0 if the bytes at that offset are not a valid instruction
     * @param text   Intel syntax, e.g. {@code "mov qword ptr [rsp+0x08], rax"}, or {@code "(bad)"}
     */
    public record Decoded(int length, String text) {
        /** Whether the bytes decoded to a valid instruction. */
        public boolean isValid() {
            return length > 0;
        }
    }

    /** Thrown by {@link #open()} when Zydis 4.0 cannot be loaded or does not match the binding. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Arena arena;
    private final MemorySegment decoder;
    private final MemorySegment formatter;
    private final MemorySegment instruction;
    private final MemorySegment operands;
    private final MemorySegment input;
    private final MemorySegment text;

    private Disassembler(Arena arena) {
        this.arena = arena;
        decoder = ZydisDecoder.allocate(arena);
        formatter = ZydisFormatter.allocate(arena);
        instruction = ZydisDecodedInstruction.allocate(arena);
        operands = ZydisDecodedOperand.allocateArray(Zydis_h.ZYDIS_MAX_OPERAND_COUNT(), arena);
        input = arena.allocate(MAX_INSTRUCTION_LENGTH);
        text = arena.allocate(TEXT_CAPACITY);
        check(Zydis_h.ZydisDecoderInit(decoder, Zydis_h.ZYDIS_MACHINE_MODE_LONG_64(), Zydis_h.ZYDIS_STACK_WIDTH_64()),
                "ZydisDecoderInit");
        check(Zydis_h.ZydisFormatterInit(formatter, Zydis_h.ZYDIS_FORMATTER_STYLE_INTEL()), "ZydisFormatterInit");
        check(Zydis_h.ZydisFormatterSetProperty(formatter, Zydis_h.ZYDIS_FORMATTER_PROP_FORCE_SIZE(), 1),
                "ZydisFormatterSetProperty(FORCE_SIZE)");
    }

    /**
     * Loads {@code libZydis.so.4.0}, checks its version and the binding's struct sizes, and initialises a 64-bit
     * decoder and an Intel formatter.
     */
    public static Disassembler open() throws UnavailableException {
        long version;
        try {
            version = Zydis_h.ZydisGetVersion();
        } catch (LinkageError | IllegalArgumentException e) {
            throw new UnavailableException("Zydis 4.0 (libZydis.so.4.0) cannot be loaded: " + e, e);
        }
        if (version >>> 48 != Zydis_h.ZYDIS_VERSION() >>> 48) {
            throw new UnavailableException("Zydis major version " + (version >>> 48) + ", the binding is for "
                    + (Zydis_h.ZYDIS_VERSION() >>> 48), null);
        }
        checkLayout("ZydisDecoder", ZydisDecoder.sizeof(), 20);
        checkLayout("ZydisDecodedInstruction", ZydisDecodedInstruction.sizeof(), 328);
        checkLayout("ZydisDecodedOperand", ZydisDecodedOperand.sizeof(), 80);
        checkLayout("ZydisFormatter", ZydisFormatter.sizeof(), 584);
        Arena arena = Arena.ofConfined();
        try {
            return new Disassembler(arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The library's version word ({@code major << 48 | minor << 32 | patch << 16 | build}). */
    public static long libraryVersion() {
        return Zydis_h.ZydisGetVersion();
    }

    /**
     * Decodes the single instruction at {@code offset}, formatted as if it were located at {@code address + offset}
     * (so relative branch targets print as absolute addresses).
     */
    public Decoded decodeOne(byte[] code, int offset, long address) {
        int available = Math.min(MAX_INSTRUCTION_LENGTH, code.length - offset);
        if (available <= 0) throw new IndexOutOfBoundsException("offset " + offset + " beyond " + code.length);
        MemorySegment.copy(code, offset, input, ValueLayout.JAVA_BYTE, 0, available);
        int status = Zydis_h.ZydisDecoderDecodeFull(decoder, input, available, instruction, operands);
        if (failed(status)) return new Decoded(0, "(bad)");
        int length = ZydisDecodedInstruction.length(instruction) & 0xFF;
        byte visible = ZydisDecodedInstruction.operand_count_visible(instruction);
        status = Zydis_h.ZydisFormatterFormatInstruction(formatter, instruction, operands, visible, text,
                TEXT_CAPACITY, address + offset, MemorySegment.NULL);
        if (failed(status)) return new Decoded(length, "(unformattable)");
        return new Decoded(length, text.getString(0));
    }

    /**
     * A listing of all of {@code code}: one line per instruction with its offset, its bytes and its text, e.g.
     * {@code "0004: 48 89 44 24 08            mov qword ptr [rsp+0x08], rax"}. Undecodable bytes are listed one
     * at a time as {@code (bad)}. Branch targets are absolute, computed from {@code address}.
     */
    public String listing(byte[] code, long address) {
        StringBuilder out = new StringBuilder();
        HexFormat hex = HexFormat.ofDelimiter(" ");
        int offset = 0;
        while (offset < code.length) {
            Decoded decoded = decodeOne(code, offset, address);
            int length = decoded.isValid() ? decoded.length() : 1;
            String bytes = hex.formatHex(code, offset, offset + length);
            out.append(String.format("%04x: %-30s %s%n", offset, bytes, decoded.text()));
            offset += length;
        }
        return out.toString();
    }

    /** Frees the native decoder state. */
    @Override
    public void close() {
        arena.close();
    }

    private static boolean failed(int status) {
        return (status & 0x80000000) != 0;
    }

    private static void check(int status, String what) {
        if (failed(status)) throw new IllegalStateException(what + " failed with status 0x" + Integer.toHexString(status));
    }

    private static void checkLayout(String struct, long actual, long expected) throws UnavailableException {
        if (actual != expected) {
            throw new UnavailableException(struct + " layout is " + actual + " bytes, Zydis 4.0 has " + expected, null);
        }
    }
}
