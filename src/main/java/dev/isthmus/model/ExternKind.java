package dev.isthmus.model;

/** The kinds of entity a module imports or exports, with their binary codes. */
public enum ExternKind {
    FUNC(0x00),
    TABLE(0x01),
    MEMORY(0x02),
    GLOBAL(0x03),
    /** An exception tag (exception handling, Wasm 3.0). */
    TAG(0x04);

    private final int code;

    ExternKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind encoded by {@code code}, or null. */
    public static ExternKind fromCode(int code) {
        return code >= 0 && code < 5 ? values()[code] : null;
    }
}
