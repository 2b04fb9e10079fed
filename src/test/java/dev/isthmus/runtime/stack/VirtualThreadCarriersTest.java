package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alternate signal stack is per OS thread, so with virtual threads it is the carriers that need one: many
 * virtual threads on a pool of two carriers overflow the wasm stack with no explicit check at all (the guard page
 * alone, whose fault can only be delivered on the alternate stack) and the process survives, with exactly one
 * context per carrier. Runs in a child JVM to fix the carrier pool's size.
 */
class VirtualThreadCarriersTest {
    @TempDir
    Path temp;

    @Test
    void manyVirtualThreadsOverflowOnTwoCarriers() throws Exception {
        Path output = temp.resolve("child.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=" + temp.resolve("hs_err_%p.log"),
                "-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2",
                "-cp", System.getProperty("java.class.path"), CarrierOverflowChild.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished");
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), () -> "child JVM exit status; output:\n" + String.join("\n", lines));
        assertTrue(lines.contains("DONE"), () -> String.join("\n", lines));
        assertTrue(lines.contains("traps " + CarrierOverflowChild.THREADS * CarrierOverflowChild.OVERFLOWS_PER_THREAD),
                () -> String.join("\n", lines));
        int contexts = lines.stream().filter(l -> l.startsWith("contexts ")).mapToInt(l -> Integer.parseInt(
                l.substring("contexts ".length()))).findFirst().orElse(-1);
        assertTrue(contexts >= 1 && contexts <= 2, "one context per carrier, got " + contexts);
    }
}
