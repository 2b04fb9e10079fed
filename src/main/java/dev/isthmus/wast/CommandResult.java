package dev.isthmus.wast;

/**
 * The outcome of one command of a WAST script.
 *
 * @param file    the script's file name (no directory), e.g. {@code "address.wast"}
 * @param line    the 1-based line the command starts on
 * @param kind    what the command is
 * @param verdict passed, failed or skipped
 * @param message why it failed or was skipped (null when it passed)
 * @param note    extra information that is not a failure, e.g. an error message worded differently from the
 *                script's expectation (null when there is none)
 */
public record CommandResult(String file, int line, CommandKind kind, Verdict verdict, String message, String note) {

    public static CommandResult passed(String file, int line, CommandKind kind, String note) {
        return new CommandResult(file, line, kind, Verdict.PASSED, null, note);
    }

    public static CommandResult failed(String file, int line, CommandKind kind, String message) {
        return new CommandResult(file, line, kind, Verdict.FAILED, message, null);
    }

    public static CommandResult skipped(String file, int line, CommandKind kind, String reason) {
        return new CommandResult(file, line, kind, Verdict.SKIPPED, reason, null);
    }

    /** The stable name of this command: {@code file.wast:LINE kind}; used by test names and the ratchet file. */
    public String id() {
        return file + ":" + line + " " + kind.text();
    }

    /** {@code file.wast:LINE}. */
    public String location() {
        return file + ":" + line;
    }
}
