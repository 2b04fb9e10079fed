package dev.isthmus.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits text-format source into {@link Token}s on demand. Skips white space, line comments {@code ;; ...},
 * nested block comments {@code (; ... ;)} and annotations {@code (@name ...)}.
 *
 * <p>Token boundaries follow the spec: a token is a maximal run of identifier characters or a string, and must be
 * followed by white space, a parenthesis, a comment or the end; anything else glued to it makes one
 * {@link Token.Kind#RESERVED} token.
 */
public final class Lexer {
    private final String src;
    private int pos;
    private int[] lineStarts;
    private int annotationDepth;

    public Lexer(String src) {
        this(src, 0);
    }

    public Lexer(String src, int start) {
        this.src = src;
        this.pos = start;
    }

    public String source() {
        return src;
    }

    /** Character offset of the next unread character. */
    public int position() {
        return pos;
    }

    /** Continue lexing at {@code offset}. */
    public void seek(int offset) {
        pos = offset;
    }

    /** The next token ({@link Token.Kind#EOF} at the end). */
    public Token next() {
        skipTrivia();
        if (pos >= src.length()) return new Token(Token.Kind.EOF, "", pos, pos, null);
        int start = pos;
        char c = src.charAt(pos);
        if (c == '(') {
            pos++;
            return new Token(Token.Kind.LPAREN, "(", start, pos, null);
        }
        if (c == ')') {
            pos++;
            return new Token(Token.Kind.RPAREN, ")", start, pos, null);
        }
        if (c == '"') {
            byte[] value = readString();
            if (!atSeparator()) return reserved(start);
            return new Token(Token.Kind.STRING, src.substring(start, pos), start, pos, value);
        }
        if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '"') {
            pos++;
            byte[] name;
            try {
                name = readString();
            } catch (WatSyntaxException e) {
                throw error("empty identifier", start);
            }
            if (!atSeparator()) return reserved(start);
            if (name.length == 0) throw error("empty identifier", start);
            checkUtf8(name, start);
            return new Token(Token.Kind.ID, src.substring(start, pos), start, pos, name);
        }
        if (isIdChar(c)) {
            while (pos < src.length() && isIdChar(src.charAt(pos))) pos++;
            if (!atSeparator()) return reserved(start);
            String text = src.substring(start, pos);
            if (c == '$') {
                if (text.length() == 1) {
                    if (annotationDepth > 0) return new Token(Token.Kind.RESERVED, text, start, pos, null);
                    throw error("empty identifier", start);
                }
                return new Token(Token.Kind.ID, text, start, pos, null);
            }
            return new Token(Token.Kind.ATOM, text, start, pos, null);
        }
        if (Utf8.isMalformedAt(src, pos)) throw error("malformed UTF-8 encoding", start);
        if (c < 0x20 || c >= 0x7F) throw error("illegal character", start);
        return reserved(start);
    }

    /** Consumes everything up to the next separator as one reserved token. */
    private Token reserved(int start) {
        if (pos == start) pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '"') {
                readString();
            } else if (atSeparator()) {
                break;
            } else if (Utf8.isMalformedAt(src, pos)) {
                throw error("malformed UTF-8 encoding", pos);
            } else if (c < 0x20 || c >= 0x7F) {
                throw error("illegal character", pos);
            } else {
                pos++;
            }
        }
        return new Token(Token.Kind.RESERVED, src.substring(start, pos), start, pos, null);
    }

    private boolean atSeparator() {
        if (pos >= src.length()) return true;
        char c = src.charAt(pos);
        if (c == ';') return pos + 1 < src.length() && src.charAt(pos + 1) == ';';
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')';
    }

    /** The identifier characters of the text format. */
    public static boolean isIdChar(char c) {
        if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') return true;
        return "!#$%&'*+-./:<=>?@\\^_`|~".indexOf(c) >= 0;
    }

    private void skipTrivia() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == ';' && pos + 1 < src.length() && src.charAt(pos + 1) == ';') {
                // a line comment ends at a newline: U+0A, U+0D, or U+0D U+0A
                while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
                    if (Utf8.isMalformedAt(src, pos)) throw error("malformed UTF-8 encoding", pos);
                    pos++;
                }
            } else if (c == '(' && pos + 1 < src.length() && src.charAt(pos + 1) == ';') {
                skipBlockComment();
            } else if (c == '(' && pos + 1 < src.length() && src.charAt(pos + 1) == '@') {
                skipAnnotation();
            } else {
                return;
            }
        }
    }

    private void skipBlockComment() {
        int start = pos;
        int depth = 0;
        while (pos < src.length()) {
            if (src.startsWith("(;", pos)) {
                depth++;
                pos += 2;
            } else if (src.startsWith(";)", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) return;
            } else {
                if (Utf8.isMalformedAt(src, pos)) throw error("malformed UTF-8 encoding", pos);
                pos++;
            }
        }
        throw error("unclosed comment", start);
    }

    /** Skips {@code (@id ...)} with balanced parentheses, strings and comments inside. */
    private void skipAnnotation() {
        int start = pos;
        pos += 2;
        if (annotationDepth == 0) checkAnnotationId(start);
        annotationDepth++;
        try {
            skipAnnotationBody(start);
        } finally {
            annotationDepth--;
        }
    }

    /** The id right after {@code (@}: identifier characters, or a non-empty UTF-8 string. */
    private void checkAnnotationId(int start) {
        if (pos < src.length() && isIdChar(src.charAt(pos))) {
            while (pos < src.length() && isIdChar(src.charAt(pos))) pos++;
            return;
        }
        if (pos < src.length() && src.charAt(pos) == '"') {
            byte[] name = readString();
            if (name.length == 0) throw error("empty annotation id", start);
            checkUtf8(name, start);
            return;
        }
        throw error("empty annotation id", start);
    }

    private void skipAnnotationBody(int start) {
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            switch (t.kind()) {
                case LPAREN -> depth++;
                case RPAREN -> depth--;
                case EOF -> throw error("unclosed annotation", start);
                default -> { }
            }
        }
    }

    /** Reads a string starting at the opening quote and returns its bytes. */
    private byte[] readString() {
        int start = pos;
        pos++;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (pos >= src.length()) throw error("unclosed string", start);
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toByteArray();
            }
            if (c == '\n') throw error("unclosed string", start);
            if (c < 0x20 || c == 0x7F) throw error("illegal control character in string", pos);
            if (Utf8.isMalformedAt(src, pos)) throw error("malformed UTF-8 encoding", pos);
            if (c == '\\') {
                readEscape(out);
            } else {
                int cp = src.codePointAt(pos);
                pos += Character.charCount(cp);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void readEscape(ByteArrayOutputStream out) {
        int start = pos;
        pos++;
        if (pos >= src.length()) throw error("unclosed string", start);
        char e = src.charAt(pos++);
        switch (e) {
            case 'n' -> out.write('\n');
            case 't' -> out.write('\t');
            case 'r' -> out.write('\r');
            case '"' -> out.write('"');
            case '\'' -> out.write('\'');
            case '\\' -> out.write('\\');
            case 'u' -> {
                if (pos >= src.length() || src.charAt(pos) != '{') throw error("malformed escape", start);
                int close = src.indexOf('}', pos);
                if (close < 0) throw error("malformed escape", start);
                String hex = src.substring(pos + 1, close).replace("_", "");
                if (hex.isEmpty() || !hex.chars().allMatch(Lexer::isHexDigit) || hex.length() > 8) {
                    throw error("malformed escape", start);
                }
                long cp = Long.parseLong(hex, 16);
                if (cp >= 0xD800 && cp < 0xE000 || cp > 0x10FFFF) throw error("malformed escape", start);
                pos = close + 1;
                out.writeBytes(new String(Character.toChars((int) cp)).getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                if (isHexDigit(e) && pos < src.length() && isHexDigit(src.charAt(pos))) {
                    out.write(Integer.parseInt(src.substring(pos - 1, pos + 1), 16));
                    pos++;
                } else {
                    throw error("malformed escape", start);
                }
            }
        }
    }

    static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Throws "malformed UTF-8 encoding" at {@code offset} unless {@code bytes} is valid UTF-8. */
    public void checkUtf8(byte[] bytes, int offset) {
        if (!isValidUtf8(bytes)) throw error("malformed UTF-8 encoding", offset);
    }

    static boolean isValidUtf8(byte[] b) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            decoder.decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Skips, without interpreting tokens, from {@code open} (an opening parenthesis) to just after its matching
     * closing one, stepping over strings and comments. Used to resynchronise after an error. Returns the end offset
     * (the source length if the form is not closed).
     */
    public int skipForm(int open) {
        int p = open;
        int depth = 0;
        while (p < src.length()) {
            char c = src.charAt(p);
            if (c == '"') {
                p++;
                while (p < src.length() && src.charAt(p) != '"' && src.charAt(p) != '\n') {
                    p += src.charAt(p) == '\\' ? 2 : 1;
                }
                p++;
            } else if (c == ';' && p + 1 < src.length() && src.charAt(p + 1) == ';') {
                while (p < src.length() && src.charAt(p) != '\n' && src.charAt(p) != '\r') p++;
            } else if (c == '(' && p + 1 < src.length() && src.charAt(p + 1) == ';') {
                int d = 0;
                while (p < src.length()) {
                    if (src.startsWith("(;", p)) {
                        d++;
                        p += 2;
                    } else if (src.startsWith(";)", p)) {
                        p += 2;
                        if (--d == 0) break;
                    } else {
                        p++;
                    }
                }
            } else if (c == '(') {
                depth++;
                p++;
            } else if (c == ')') {
                depth--;
                p++;
                if (depth <= 0) return p;
            } else {
                p++;
            }
        }
        return src.length();
    }

    /** 1-based line of a character offset. */
    public int lineOf(int offset) {
        if (lineStarts == null) computeLineStarts();
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    /** 1-based column of a character offset. */
    public int columnOf(int offset) {
        return offset - lineStarts[lineOf(offset) - 1] + 1;
    }

    private void computeLineStarts() {
        int n = 1;
        for (int i = 0; i < src.length(); i++) if (src.charAt(i) == '\n') n++;
        lineStarts = new int[n];
        int k = 1;
        for (int i = 0; i < src.length(); i++) if (src.charAt(i) == '\n') lineStarts[k++] = i + 1;
    }

    /** A syntax error located at {@code offset}. */
    public WatSyntaxException error(String reason, int offset) {
        return new WatSyntaxException(reason, lineOf(offset), columnOf(offset), textAt(offset));
    }

    /** The text of the token starting at {@code offset} (up to white space or a parenthesis, at most 24 chars). */
    private String textAt(int offset) {
        if (offset < 0 || offset >= src.length()) return "";
        int end = offset;
        if (src.charAt(end) == '(' || src.charAt(end) == ')') {
            end++;
        } else {
            while (end < src.length() && end - offset < 24 && !Character.isWhitespace(src.charAt(end))
                    && src.charAt(end) != '(' && src.charAt(end) != ')') {
                end++;
            }
        }
        String text = src.substring(offset, end);
        return end < src.length() && end - offset == 24 && !Character.isWhitespace(src.charAt(end))
                && src.charAt(end) != '(' && src.charAt(end) != ')' ? text + "..." : text;
    }
}
