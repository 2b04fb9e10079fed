package dev.isthmus.compiler;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/**
 * Transcripts of the same operations run under several configurations (tiers, bounds-check modes, memory types):
 * the first one added is the reference, and every later one must equal it line by line.
 */
final class Transcripts {
    private String referenceName;
    private List<String> reference;

    /** Adds the transcript of configuration {@code name}; fails at the first line that differs from the reference. */
    void add(String name, List<String> transcript) {
        if (reference == null) {
            reference = transcript;
            referenceName = name;
            return;
        }
        for (int i = 0; i < reference.size(); i++) {
            if (!reference.get(i).equals(transcript.get(i))) {
                fail("operation " + i + ": " + referenceName + " gave " + reference.get(i) + ", " + name + " gave "
                        + transcript.get(i));
            }
        }
    }
}
