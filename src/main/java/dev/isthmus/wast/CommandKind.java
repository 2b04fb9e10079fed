package dev.isthmus.wast;

/**
 * The kind of a WAST script command, named as in the script ({@code assert_malformed}, ...). Results, reports and
 * test names use {@link #text()}.
 *
 * <p>{@link #PARSE} is not a script command: it stands for a part of a script the WAST parser could not read
 * (a whole file, or one command it reported as unsupported).
 */
public enum CommandKind {
    MODULE("module"),
    REGISTER("register"),
    ACTION("action"),
    ASSERT_RETURN("assert_return"),
    ASSERT_TRAP("assert_trap"),
    ASSERT_EXHAUSTION("assert_exhaustion"),
    ASSERT_MALFORMED("assert_malformed"),
    ASSERT_INVALID("assert_invalid"),
    ASSERT_UNLINKABLE("assert_unlinkable"),
    ASSERT_UNINSTANTIABLE("assert_uninstantiable"),
    ASSERT_EXCEPTION("assert_exception"),
    PARSE("parse");

    private final String text;

    CommandKind(String text) {
        this.text = text;
    }

    /** The name used in scripts, reports and test ids. */
    public String text() {
        return text;
    }

    /** The kind named {@code text} in a script, or {@link #PARSE} for a name that is no command kind. */
    public static CommandKind fromText(String text) {
        for (CommandKind k : values()) if (k.text.equals(text)) return k;
        return PARSE;
    }

    @Override
    public String toString() {
        return text;
    }
}
