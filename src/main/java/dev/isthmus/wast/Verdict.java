package dev.isthmus.wast;

/** What became of one command: it met its expectation, broke it, or could not be decided yet. */
public enum Verdict {
    PASSED,
    FAILED,
    SKIPPED
}
