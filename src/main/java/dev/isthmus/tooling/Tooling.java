package dev.isthmus.tooling;

import dev.isthmus.InvalidModuleException;
import dev.isthmus.MalformedModuleException;
import dev.isthmus.ModuleRejectedException;
import dev.isthmus.UnsupportedFeatureException;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.binary.Opcode;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.WasmModule;
import dev.isthmus.model.WasmVersion;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.text.Wat;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;
import dev.isthmus.validate.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * For Isthmus's own tools (CLI, spec runner, explorer, demo): not API, may change. Every module rejection comes out
 * as the API's {@link MalformedModuleException} or {@link InvalidModuleException} (the internal exception as cause,
 * message and {@link ModuleRejectedException#reason() reason} unchanged).
 */
public final class Tooling {
    private Tooling() {
    }

    /** Whether {@code bytes} start with the binary format's magic ({@code \0asm}); otherwise they are text. */
    public static boolean isBinary(byte[] bytes) {
        return Wat.isBinary(bytes);
    }

    /**
     * Null when {@code bytes} may hold a module (binary magic, or text starting with {@code (}); otherwise one line
     * saying what they hold instead.
     */
    public static String notAModule(byte[] bytes) {
        return Wat.notAModule(bytes);
    }

    /**
     * A {@code (module ...)} in the text format, encoded in the binary format.
     *
     * @param keepNames whether the text's {@code $names} become a name section (for backtraces and listings)
     * @throws MalformedModuleException when the text does not parse
     */
    public static byte[] watToBinary(String text, boolean keepNames) {
        try {
            return Wat.toBinary(text, keepNames);
        } catch (ModuleRejection e) {
            throw rejected(e);
        }
    }

    /**
     * {@link #watToBinary(String, boolean)} without a name section, by the text rules of {@code version} (2.0: no
     * {@code i64} address types, u32 limits and offsets).
     */
    public static byte[] watToBinary(String text, WasmVersion version) {
        try {
            return Wat.toBinary(text, false, version.memory64());
        } catch (ModuleRejection e) {
            throw rejected(e);
        }
    }

    /** {@link #watToBinary(String, boolean)} without a name section. */
    public static byte[] watToBinary(String text) {
        try {
            return Wat.toBinary(text);
        } catch (ModuleRejection e) {
            throw rejected(e);
        }
    }

    /**
     * The commands of a WAST script, in order ({@code text.script}'s records).
     *
     * @throws MalformedModuleException when the script does not parse
     */
    public static List<WastCommand> parseWast(String script, String fileName) {
        try {
            return WastParser.parse(script, fileName);
        } catch (ModuleRejection e) {
            throw rejected(e);
        }
    }

    /**
     * Decodes a binary module (without validating it).
     *
     * @throws MalformedModuleException when the bytes are not a well-formed module
     */
    public static WasmModule decode(byte[] binary) {
        return decode(binary, WasmVersion.DEFAULT);
    }

    /**
     * Decodes a binary module (without validating it) by the rules of {@code version}.
     *
     * @throws MalformedModuleException when the bytes are not a well-formed module
     */
    public static WasmModule decode(byte[] binary, WasmVersion version) {
        try {
            return ModuleDecoder.decode(binary, version);
        } catch (ModuleRejection e) {
            throw rejected(e);
        }
    }

    /**
     * Validates a decoded module.
     *
     * @throws InvalidModuleException when it breaks a validation rule
     */
    public static void validate(WasmModule module) {
        validate(module, WasmVersion.DEFAULT);
    }

    /**
     * Validates a decoded module by the rules of {@code version}.
     *
     * @throws InvalidModuleException when it breaks a validation rule
     */
    public static void validate(WasmModule module, WasmVersion version) {
        try {
            Validator.validate(module, version);
        } catch (ModuleRejection e) {
            throw rejected(e);
        }
    }

    /**
     * Compiles a decoded and validated module to machine code without loading it (for listings).
     *
     * @throws UnsupportedFeatureException when it uses something the compiler does not translate (SIMD)
     */
    public static MachineListing compile(WasmModule module, CompilerOptions options) {
        try {
            return new MachineListing(ModuleCompiler.compile(module, options));
        } catch (UnimplementedFeatureException e) {
            throw new UnsupportedFeatureException(e.getMessage(), e);
        }
    }

    /** One wasm instruction of a function body, as the text format's flat syntax prints it. */
    public record WasmInstruction(int offset, String text, boolean opensBlock) {}

    /**
     * The instructions of a (decoded) function body in order, each with the byte offset the reader reports after
     * reading it (the module-relative offset that {@link MachineListing#wasmOffsetAt(int)} maps machine code to).
     */
    public static List<WasmInstruction> wasmInstructions(FunctionBody body) {
        byte[] bytes = body.codeUnsafe();
        InstructionReader reader = new InstructionReader(new ByteReader(bytes, 0, bytes.length, body.codeOffset(),
                "unexpected end"));
        List<WasmInstruction> instructions = new ArrayList<>();
        while (!reader.atEnd()) {
            Opcode op = reader.next();
            String text = WasmInstructionPrinter.print(reader);
            instructions.add(new WasmInstruction((int) reader.offset(), text, opensBlock(op)));
        }
        return instructions;
    }

    private static boolean opensBlock(Opcode op) {
        String text = op.text();
        return text.equals("block") || text.equals("loop") || text.equals("if") || text.equals("try");
    }

    /**
     * Hand-assembled machine code, mapped read+execute for the rest of the process (the demo's functions).
     *
     * @param owner what the mapping is for, in diagnostics
     */
    public static ExecutableCode executable(byte[] code, String owner) {
        CodeMemory memory = CodeMemory.allocate(code.length, owner);
        memory.write(0, code);
        memory.seal();
        return new ExecutableCode(memory);
    }

    /** The API exception for a rejection by the front end. */
    private static ModuleRejectedException rejected(ModuleRejection e) {
        if (e instanceof ValidationException) {
            return new InvalidModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(),
                    e);
        }
        return new MalformedModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(), e);
    }
}
