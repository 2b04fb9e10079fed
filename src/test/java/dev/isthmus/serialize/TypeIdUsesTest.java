package dev.isthmus.serialize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A tripwire for the type-id sites the compiler records ({@code MachineCode.typeIdSites()}, which code files patch):
 * canonical type ids reach the code only through the indirect-call checks of these two places (the optimizing
 * tier's emitter records the id its instruction selector put in the call's detail). A new use (a {@code ref.cast}
 * of function types, say) must record its sites too, and then this list changes.
 */
class TypeIdUsesTest {
    @Test
    void typeIdsReachTheCodeOnlyThroughIndirectCalls() throws IOException {
        Set<String> users = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/isthmus/compiler"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("TypeIds.of(")) users.add(f.getFileName().toString());
            }
        }
        assertEquals(Set.of("CallLowering.java", "InstructionSelector.java"), users);
    }
}
