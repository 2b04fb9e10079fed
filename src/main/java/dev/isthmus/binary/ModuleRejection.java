package dev.isthmus.binary;

/**
 * Base of the errors that reject a module before it runs. Carries where the problem is: the section (or null),
 * the byte offset in the binary (or -1), and the function index (or -1).
 *
 * <p>{@link #reason()} is the bare description, worded as the spec test suite words it where it has a wording
 * (e.g. "unexpected end", "type mismatch"); {@link #getMessage()} adds the location.
 */
public abstract class ModuleRejection extends RuntimeException {
    private final String reason;
    private final String section;
    private final long offset;
    private final int functionIndex;

    protected ModuleRejection(String reason, String section, long offset, int functionIndex, Throwable cause) {
        super(format(reason, section, offset, functionIndex), cause);
        this.reason = reason;
        this.section = section;
        this.offset = offset;
        this.functionIndex = functionIndex;
    }

    private static String format(String reason, String section, long offset, int functionIndex) {
        StringBuilder sb = new StringBuilder(reason);
        String sep = " (";
        if (section != null) {
            sb.append(sep).append(section).append(" section");
            sep = ", ";
        }
        if (functionIndex >= 0) {
            sb.append(sep).append("function ").append(functionIndex);
            sep = ", ";
        }
        if (offset >= 0) {
            sb.append(sep).append("at byte offset 0x").append(Long.toHexString(offset));
            sep = ", ";
        }
        if (!sep.equals(" (")) sb.append(')');
        return sb.toString();
    }

    /** The description alone, without location. */
    public String reason() {
        return reason;
    }

    /** The section the error is in, or null. */
    public String section() {
        return section;
    }

    /** The byte offset in the module binary, or -1. */
    public long offset() {
        return offset;
    }

    /** The function index (in the function index space), or -1. */
    public int functionIndex() {
        return functionIndex;
    }
}
