// Written by hand in the shape jextract 22 generates for the declarations listed in jextract/zydis.args
// (jextract is not installable on this machine). Regenerate with: jextract @jextract/zydis.args
package dev.isthmus.zydis;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls into Zydis 4.0 ({@code libZydis.so.4.0}): decoder, formatter and version, plus the enum constants the
 * tests use. Loading this class fails with {@link ExceptionInInitializerError} when the library is missing.
 */
@SuppressWarnings({"unused", "restricted"})
public class Zydis_h {

    Zydis_h() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();

    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.libraryLookup("libZydis.so.4.0", LIBRARY_ARENA)
            .or(SymbolLookup.loaderLookup())
            .or(Linker.nativeLinker().defaultLookup());

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    // ---------------------------------------------------------------- constants (enum ZydisMachineMode_ etc.)

    private static final int ZYDIS_MACHINE_MODE_LONG_64 = (int) 0L;

    /** {@code enum ZydisMachineMode_.ZYDIS_MACHINE_MODE_LONG_64 = 0} */
    public static int ZYDIS_MACHINE_MODE_LONG_64() {
        return ZYDIS_MACHINE_MODE_LONG_64;
    }

    private static final int ZYDIS_STACK_WIDTH_64 = (int) 2L;

    /** {@code enum ZydisStackWidth_.ZYDIS_STACK_WIDTH_64 = 2} */
    public static int ZYDIS_STACK_WIDTH_64() {
        return ZYDIS_STACK_WIDTH_64;
    }

    private static final int ZYDIS_FORMATTER_STYLE_INTEL = (int) 1L;

    /** {@code enum ZydisFormatterStyle_.ZYDIS_FORMATTER_STYLE_INTEL = 1} */
    public static int ZYDIS_FORMATTER_STYLE_INTEL() {
        return ZYDIS_FORMATTER_STYLE_INTEL;
    }

    private static final int ZYDIS_FORMATTER_PROP_FORCE_SIZE = (int) 0L;

    /** {@code enum ZydisFormatterProperty_.ZYDIS_FORMATTER_PROP_FORCE_SIZE = 0} */
    public static int ZYDIS_FORMATTER_PROP_FORCE_SIZE() {
        return ZYDIS_FORMATTER_PROP_FORCE_SIZE;
    }

    private static final int ZYDIS_MAX_OPERAND_COUNT = (int) 10L;

    /** {@code #define ZYDIS_MAX_OPERAND_COUNT 10} */
    public static int ZYDIS_MAX_OPERAND_COUNT() {
        return ZYDIS_MAX_OPERAND_COUNT;
    }

    private static final int ZYDIS_OPERAND_TYPE_REGISTER = (int) 1L;

    /** {@code enum ZydisOperandType_.ZYDIS_OPERAND_TYPE_REGISTER = 1} */
    public static int ZYDIS_OPERAND_TYPE_REGISTER() {
        return ZYDIS_OPERAND_TYPE_REGISTER;
    }

    private static final int ZYDIS_OPERAND_TYPE_MEMORY = (int) 2L;

    /** {@code enum ZydisOperandType_.ZYDIS_OPERAND_TYPE_MEMORY = 2} */
    public static int ZYDIS_OPERAND_TYPE_MEMORY() {
        return ZYDIS_OPERAND_TYPE_MEMORY;
    }

    private static final int ZYDIS_OPERAND_TYPE_IMMEDIATE = (int) 4L;

    /** {@code enum ZydisOperandType_.ZYDIS_OPERAND_TYPE_IMMEDIATE = 4} */
    public static int ZYDIS_OPERAND_TYPE_IMMEDIATE() {
        return ZYDIS_OPERAND_TYPE_IMMEDIATE;
    }

    private static final long ZYDIS_VERSION = 0x0004000000000000L;

    /** {@code #define ZYDIS_VERSION (ZyanU64)0x0004000000000000} */
    public static long ZYDIS_VERSION() {
        return ZYDIS_VERSION;
    }

    // ---------------------------------------------------------------- ZyanU64 ZydisGetVersion(void)

    private static class ZydisGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(Zydis_h.C_LONG_LONG);
        public static final MemorySegment ADDR = Zydis_h.findOrThrow("ZydisGetVersion");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor ZydisGetVersion$descriptor() {
        return ZydisGetVersion.DESC;
    }

    public static MethodHandle ZydisGetVersion$handle() {
        return ZydisGetVersion.HANDLE;
    }

    public static MemorySegment ZydisGetVersion$address() {
        return ZydisGetVersion.ADDR;
    }

    /** {@code ZyanU64 ZydisGetVersion(void)} */
    public static long ZydisGetVersion() {
        var mh$ = ZydisGetVersion.HANDLE;
        try {
            return (long) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---------------------------------------------------------------- ZydisDecoderInit

    private static class ZydisDecoderInit {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Zydis_h.C_INT, Zydis_h.C_POINTER, Zydis_h.C_INT, Zydis_h.C_INT);
        public static final MemorySegment ADDR = Zydis_h.findOrThrow("ZydisDecoderInit");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor ZydisDecoderInit$descriptor() {
        return ZydisDecoderInit.DESC;
    }

    public static MethodHandle ZydisDecoderInit$handle() {
        return ZydisDecoderInit.HANDLE;
    }

    public static MemorySegment ZydisDecoderInit$address() {
        return ZydisDecoderInit.ADDR;
    }

    /** {@code ZyanStatus ZydisDecoderInit(ZydisDecoder *decoder, ZydisMachineMode machine_mode, ZydisStackWidth stack_width)} */
    public static int ZydisDecoderInit(MemorySegment decoder, int machine_mode, int stack_width) {
        var mh$ = ZydisDecoderInit.HANDLE;
        try {
            return (int) mh$.invokeExact(decoder, machine_mode, stack_width);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---------------------------------------------------------------- ZydisDecoderDecodeFull

    private static class ZydisDecoderDecodeFull {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Zydis_h.C_INT, Zydis_h.C_POINTER, Zydis_h.C_POINTER, Zydis_h.C_LONG, Zydis_h.C_POINTER, Zydis_h.C_POINTER);
        public static final MemorySegment ADDR = Zydis_h.findOrThrow("ZydisDecoderDecodeFull");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor ZydisDecoderDecodeFull$descriptor() {
        return ZydisDecoderDecodeFull.DESC;
    }

    public static MethodHandle ZydisDecoderDecodeFull$handle() {
        return ZydisDecoderDecodeFull.HANDLE;
    }

    public static MemorySegment ZydisDecoderDecodeFull$address() {
        return ZydisDecoderDecodeFull.ADDR;
    }

    /**
     * {@code ZyanStatus ZydisDecoderDecodeFull(const ZydisDecoder *decoder, const void *buffer, ZyanUSize length,
     * ZydisDecodedInstruction *instruction, ZydisDecodedOperand operands[10])}
     */
    public static int ZydisDecoderDecodeFull(MemorySegment decoder, MemorySegment buffer, long length,
                                             MemorySegment instruction, MemorySegment operands) {
        var mh$ = ZydisDecoderDecodeFull.HANDLE;
        try {
            return (int) mh$.invokeExact(decoder, buffer, length, instruction, operands);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---------------------------------------------------------------- ZydisFormatterInit

    private static class ZydisFormatterInit {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Zydis_h.C_INT, Zydis_h.C_POINTER, Zydis_h.C_INT);
        public static final MemorySegment ADDR = Zydis_h.findOrThrow("ZydisFormatterInit");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor ZydisFormatterInit$descriptor() {
        return ZydisFormatterInit.DESC;
    }

    public static MethodHandle ZydisFormatterInit$handle() {
        return ZydisFormatterInit.HANDLE;
    }

    public static MemorySegment ZydisFormatterInit$address() {
        return ZydisFormatterInit.ADDR;
    }

    /** {@code ZyanStatus ZydisFormatterInit(ZydisFormatter *formatter, ZydisFormatterStyle style)} */
    public static int ZydisFormatterInit(MemorySegment formatter, int style) {
        var mh$ = ZydisFormatterInit.HANDLE;
        try {
            return (int) mh$.invokeExact(formatter, style);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---------------------------------------------------------------- ZydisFormatterSetProperty

    private static class ZydisFormatterSetProperty {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Zydis_h.C_INT, Zydis_h.C_POINTER, Zydis_h.C_INT, Zydis_h.C_LONG);
        public static final MemorySegment ADDR = Zydis_h.findOrThrow("ZydisFormatterSetProperty");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor ZydisFormatterSetProperty$descriptor() {
        return ZydisFormatterSetProperty.DESC;
    }

    public static MethodHandle ZydisFormatterSetProperty$handle() {
        return ZydisFormatterSetProperty.HANDLE;
    }

    public static MemorySegment ZydisFormatterSetProperty$address() {
        return ZydisFormatterSetProperty.ADDR;
    }

    /** {@code ZyanStatus ZydisFormatterSetProperty(ZydisFormatter *formatter, ZydisFormatterProperty property, ZyanUPointer value)} */
    public static int ZydisFormatterSetProperty(MemorySegment formatter, int property, long value) {
        var mh$ = ZydisFormatterSetProperty.HANDLE;
        try {
            return (int) mh$.invokeExact(formatter, property, value);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---------------------------------------------------------------- ZydisFormatterFormatInstruction

    private static class ZydisFormatterFormatInstruction {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Zydis_h.C_INT, Zydis_h.C_POINTER, Zydis_h.C_POINTER, Zydis_h.C_POINTER, Zydis_h.C_CHAR,
                Zydis_h.C_POINTER, Zydis_h.C_LONG, Zydis_h.C_LONG_LONG, Zydis_h.C_POINTER);
        public static final MemorySegment ADDR = Zydis_h.findOrThrow("ZydisFormatterFormatInstruction");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor ZydisFormatterFormatInstruction$descriptor() {
        return ZydisFormatterFormatInstruction.DESC;
    }

    public static MethodHandle ZydisFormatterFormatInstruction$handle() {
        return ZydisFormatterFormatInstruction.HANDLE;
    }

    public static MemorySegment ZydisFormatterFormatInstruction$address() {
        return ZydisFormatterFormatInstruction.ADDR;
    }

    /**
     * {@code ZyanStatus ZydisFormatterFormatInstruction(const ZydisFormatter *formatter,
     * const ZydisDecodedInstruction *instruction, const ZydisDecodedOperand *operands, ZyanU8 operand_count,
     * char *buffer, ZyanUSize length, ZyanU64 runtime_address, void *user_data)}
     */
    public static int ZydisFormatterFormatInstruction(MemorySegment formatter, MemorySegment instruction,
                                                      MemorySegment operands, byte operand_count, MemorySegment buffer,
                                                      long length, long runtime_address, MemorySegment user_data) {
        var mh$ = ZydisFormatterFormatInstruction.HANDLE;
        try {
            return (int) mh$.invokeExact(formatter, instruction, operands, operand_count, buffer, length,
                    runtime_address, user_data);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---------------------------------------------------------------- ZydisMnemonicGetString

    private static class ZydisMnemonicGetString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(Zydis_h.C_POINTER, Zydis_h.C_INT);
        public static final MemorySegment ADDR = Zydis_h.findOrThrow("ZydisMnemonicGetString");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor ZydisMnemonicGetString$descriptor() {
        return ZydisMnemonicGetString.DESC;
    }

    public static MethodHandle ZydisMnemonicGetString$handle() {
        return ZydisMnemonicGetString.HANDLE;
    }

    public static MemorySegment ZydisMnemonicGetString$address() {
        return ZydisMnemonicGetString.ADDR;
    }

    /** {@code const char *ZydisMnemonicGetString(ZydisMnemonic mnemonic)} */
    public static MemorySegment ZydisMnemonicGetString(int mnemonic) {
        var mh$ = ZydisMnemonicGetString.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(mnemonic);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
