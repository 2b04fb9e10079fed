package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code files across processes, each step in a child JVM: the canonical type ids compiled into {@code call_indirect}
 * checks (32-bit immediates, whatever the id) are patched with the loading process's ids, small or large, in both
 * directions (a file written by a fresh process loads in one that has seen 200 or 5,000 other types, and back), and
 * damaged files with a correct checksum (every structural check reached) load or are refused, never worse.
 */
class CodeFileChildTest {
    private static List<String> child(Path dir, String... args) throws Exception {
        return ChildJvm.run("code file " + String.join(" ", args), dir, List.of(), CodeFileChild.class, List.of(args),
                120);
    }

    @Test
    void typeIdsArePatchedForTheLoadingProcess(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small-ids.ism");
        assertEquals(List.of("written"), child(dir, "write", small.toString(), "0"));
        // the loader has seen 50, 200, 5,000 other types: the module's types get other ids, beyond 8 bits too
        for (String others : List.of("50", "200", "5000")) {
            assertEquals(List.of("good 60", "bad trap indirect call type mismatch"),
                    child(dir, "load", small.toString(), others), "after " + others + " other types");
        }

        Path large = dir.resolve("large-ids.ism");
        assertEquals(List.of("written"), child(dir, "write", large.toString(), "200"));
        assertEquals(List.of("good 60", "bad trap indirect call type mismatch"),
                child(dir, "load", large.toString(), "0"));
        assertEquals(List.of("good 60", "bad trap indirect call type mismatch"),
                child(dir, "load", large.toString(), "300"));
    }

    @Test
    void damagedFilesWithAValidChecksumAreRefusedCleanly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("module.ism");
        assertEquals(List.of("written"), child(dir, "write", file.toString(), "0"));
        List<String> out = child(dir, "mutate", file.toString(), "15", "4000");
        assertEquals(1, out.size(), String.join("\n", out));
        assertTrue(out.getFirst().startsWith("mutants refused "), out.getFirst());
        List<String> cuts = child(dir, "truncate", file.toString());
        assertEquals(1, cuts.size(), String.join("\n", cuts));
        long size = java.nio.file.Files.size(file);
        assertEquals("cuts refused " + (size - 24) + " of " + (size - 24), cuts.getFirst());
    }
}
