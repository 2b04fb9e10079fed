package dev.isthmus.text;

import java.nio.charset.StandardCharsets;

/**
 * One token of the text format. {@code start}/{@code end} are character offsets into the source; {@code text} is the
 * token as written. For {@link Kind#STRING} (and quoted identifiers {@code $"..."}) {@code bytes} holds the decoded
 * value.
 */
public record Token(Kind kind, String text, int start, int end, byte[] bytes) {

    /** What a token is; keywords and numbers are both {@link #ATOM}s and are told apart by the parser. */
    public enum Kind {
        LPAREN, RPAREN,
        /** A keyword, number or other run of identifier characters not starting with {@code $}. */
        ATOM,
        /** {@code $name} or {@code $"name"}; {@link #idName()} is the name without the {@code $}. */
        ID,
        STRING,
        /** Characters that form no valid token (e.g. {@code "a""b"}, {@code {}). */
        RESERVED,
        EOF
    }

    public boolean is(Kind k) {
        return kind == k;
    }

    /** True for the keyword {@code word}. */
    public boolean isKeyword(String word) {
        return kind == Kind.ATOM && text.equals(word);
    }

    /** The identifier's name without the leading {@code $}. */
    public String idName() {
        return bytes != null ? new String(bytes, StandardCharsets.UTF_8) : text.substring(1);
    }

    @Override
    public String toString() {
        return kind == Kind.EOF ? "end of input" : text;
    }
}
