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
        return toBinary(text, debugNames, true);
    }

    /**
     * Like {@link #toBinary(String, boolean)}; {@code memory64} false applies Wasm 2.0's text rules (no
     * {@code i64} address types; limits and offsets are u32, larger ones "i32 constant out of range").
     */
    public static byte[] toBinary(String text, boolean debugNames, boolean memory64) {
        try {
            return WatParser.toBinary(text, debugNames, memory64);
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

    /**
     * Null when {@code bytes} may hold a module: they start with the binary format's magic ({@code \0asm}), or they
     * are text whose first token (after white space and comments) is {@code (} or nothing. Otherwise one line
     * saying what they are instead: bytes that are not text (not UTF-8, or control characters), with the first
     * few of them in hex, or text that does not start as the text format does, with its first token.
     */
    public static String notAModule(byte[] bytes) {
        if (isBinary(bytes)) return null;
        int prefix = Math.min(bytes.length, 4096);
        if (!looksLikeText(bytes, prefix)) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(bytes.length, 8); i++) {
                hex.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
            }
            return "not a WebAssembly module: it starts with the bytes " + hex + (bytes.length > 8 ? " ..." : "")
                    + ", not 00 61 73 6d (\\0asm) as the binary format does, and it is not text";
        }
        String text = new String(bytes, 0, prefix, java.nio.charset.StandardCharsets.UTF_8);
        Lexer lexer = new Lexer(text);
        Token first;
        try {
            first = lexer.next();
        } catch (WatSyntaxException e) {
            return null; // e.g. an unterminated comment: let the parser say so
        }
        if (first.is(Token.Kind.LPAREN) || first.is(Token.Kind.EOF)) return null;
        String token = first.text().length() > 24 ? first.text().substring(0, 24) + "..." : first.text();
        return "not a WebAssembly module: it is text, but it starts with \"" + token + "\" (at "
                + lexer.lineOf(first.start()) + ":" + lexer.columnOf(first.start())
                + "), not with \"(\" as the text format does (nor with \\0asm as the binary format does)";
    }

    /** Whether the first {@code n} bytes are UTF-8 text without control characters other than white space. */
    private static boolean looksLikeText(byte[] bytes, int n) {
        int i = 0;
        while (i < n) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F) return false;
                i++;
                continue;
            }
            int length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
            if (length == 0) return false;
            for (int k = 1; k < length; k++) {
                if (i + k >= n) return true; // cut off by the prefix
                if ((bytes[i + k] & 0xC0) != 0x80) return false;
            }
            i += length;
        }
        return true;
    }

    /** The binary module in {@code file}, which may hold either the binary or the text format. */
    public static byte[] load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return isBinary(bytes) ? bytes : toBinary(Utf8.decodeKeepingMalformed(bytes));
    }
}
