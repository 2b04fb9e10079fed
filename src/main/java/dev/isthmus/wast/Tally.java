package dev.isthmus.wast;

/** Counts of passed, failed and skipped commands. Mutable; one per file, per kind, or per run. */
public final class Tally {
    private int passed;
    private int failed;
    private int skipped;

    public void add(Verdict verdict) {
        switch (verdict) {
            case PASSED -> passed++;
            case FAILED -> failed++;
            case SKIPPED -> skipped++;
        }
    }

    public void add(Tally other) {
        passed += other.passed;
        failed += other.failed;
        skipped += other.skipped;
    }

    public int passed() {
        return passed;
    }

    public int failed() {
        return failed;
    }

    public int skipped() {
        return skipped;
    }

    public int total() {
        return passed + failed + skipped;
    }

    /** {@code "P passed, F failed, S skipped"}, the wording of the CLI's summary lines. */
    @Override
    public String toString() {
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
}
