package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Keeps the examples of docs/ and the tests that run them identical: a test marks its example with
 * {@code // tag::NAME[]} ... {@code // end::NAME[]}, the doc quotes it in a {@code java} block right after
 * {@code <!-- example: SOURCE, NAME -->}.
 */
final class DocExamples {
    private DocExamples() {
    }

    /** Fails unless {@code doc} quotes the example {@code tag} of the test source {@code source} exactly. */
    static void assertQuoted(Path doc, Path source, String tag) throws IOException {
        String text = Files.readString(source);
        String begin = "    // tag::" + tag + "[]\n";
        String end = "    // end::" + tag + "[]\n";
        assertTrue(text.contains(begin) && text.contains(end), source + " has no example " + tag);
        String tagged = text.substring(text.indexOf(begin) + begin.length(), text.indexOf(end));
        String example = tagged.lines().map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .collect(Collectors.joining("\n", "", "\n"));
        String markdown = Files.readString(doc);
        String marker = "<!-- example: " + source.toString().replace('\\', '/') + ", " + tag + " -->\n```java\n";
        int start = markdown.indexOf(marker);
        assertTrue(start >= 0, doc + " has no block after " + marker);
        int from = start + marker.length();
        assertEquals(example, markdown.substring(from, markdown.indexOf("```\n", from)),
                doc + " must quote the example " + tag + " of " + source + " exactly");
    }
}
