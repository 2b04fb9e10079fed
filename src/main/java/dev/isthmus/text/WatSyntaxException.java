package dev.isthmus.text;

import dev.isthmus.binary.DecodeException;

/**
 * The text is not a well-formed module (or script). {@link #reason()} is the bare text, worded as the spec test suite
 * words it ("unexpected token", "unknown operator", "constant out of range", ...); the message adds line:column.
 */
public class WatSyntaxException extends DecodeException {
    private final int line;
    private final int column;

    public WatSyntaxException(String reason, int line, int column) {
        super(reason, null, -1, -1);
        this.line = line;
        this.column = column;
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
        return reason() + " (at " + line + ":" + column + ")";
    }
}
