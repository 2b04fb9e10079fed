package dev.isthmus.text;

import dev.isthmus.binary.DecodeException;

/**
 * The text is not a well-formed module (or script). {@link #reason()} is the bare text, worded as the spec test suite
 * words it ("unexpected token", "unknown operator", "constant out of range", ...); the message adds the offending
 * token's text (when the reason does not already name it) and line:column: {@code unexpected token "foo" (at 3:7)}.
 */
public class WatSyntaxException extends DecodeException {
    private final int line;
    private final int column;
    private final String found;

    public WatSyntaxException(String reason, int line, int column) {
        this(reason, line, column, "");
    }

    /** @param found the text of the offending token ("" when none, e.g. at the end of the input) */
    public WatSyntaxException(String reason, int line, int column, String found) {
        super(reason, null, -1, -1);
        this.line = line;
        this.column = column;
        this.found = found == null ? "" : found;
    }

    /** The text of the offending token, "" when unknown or at the end of the input. */
    public String found() {
        return found;
    }

    /** 1-based line of the offending token, relative to the parsed text. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }

    @Override
    public String getMessage() {
        String token = found.isEmpty() || reason().contains(found) ? "" : " " + quoted(found);
        return reason() + token + " (at " + line + ":" + column + ")";
    }

    /** {@code text} in double quotes, with control characters, quotes and backslashes escaped. */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == 0xFFFD) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
