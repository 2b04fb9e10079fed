package dev.isthmus.text;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.WasmModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The WebAssembly text format: {@code (module ...)} source to the binary format, and from there (through the binary
 * decoder) to the same {@link WasmModule} a {@code .wasm} file gives.
 */
public final class Wat {
    private Wat() {}

    /**
     * The binary encoding of a text module: a {@code (module ...)} form, or module fields without it.
     *
     * @throws WatSyntaxException if the text is malformed
     */
    public static byte[] toBinary(String text) {
        return toBinary(text, false);
    }

    /**
     * Like {@link #toBinary(String)}; with {@code debugNames} the result also has a "name" custom section with the
     * text's {@code $ids} for the module, its functions and their locals (as {@code wat2wasm --debug-names}).
     */
    public static byte[] toBinary(String text, boolean debugNames) {
        try {
            return WatParser.toBinary(text, debugNames);
        } catch (StackOverflowError e) {
            // the parser recurses once per nesting level of folded instructions and annotations
            throw new WatSyntaxException("nesting too deep", 1, 1);
        }
    }

    /** Parses and decodes a text module; the model's name section holds the text's {@code $ids}. */
    public static WasmModule parse(String text) {
        return ModuleDecoder.decode(toBinary(text, true));
    }

    /**
     * The text of a quoted module ({@code (module quote "...")} in scripts) as a complete {@code (module ...)} form:
     * the quoted strings are either such a form already or its fields.
     */
    public static String quotedModuleText(String quoted) {
        try {
            Lexer lexer = new Lexer(quoted);
            if (lexer.next().is(Token.Kind.LPAREN) && lexer.next().isKeyword("module")) return quoted;
        } catch (WatSyntaxException e) {
            // not a module form: wrap the fields and let the parser report the error where it is
        }
        return "(module " + quoted + "\n)";
    }

    /** True if {@code bytes} start with the binary format's magic {@code \0asm}. */
    public static boolean isBinary(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm';
    }

    /** The binary module in {@code file}, which may hold either the binary or the text format. */
    public static byte[] load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return isBinary(bytes) ? bytes : toBinary(Utf8.decodeKeepingMalformed(bytes));
    }
}
