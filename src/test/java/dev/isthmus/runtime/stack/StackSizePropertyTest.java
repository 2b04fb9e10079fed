package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Disthmus.wasmStack.size} sets the usable size of every wasm stack (read once, when StackGeometry loads):
 * an 8 MiB stack holds recursion a 1 MiB one cannot, its regions are 16 MiB aligned, and overflow still traps.
 * Child JVMs, since the property is fixed for a process.
 */
class StackSizePropertyTest {
    @TempDir
    Path temp;

    @Test
    void eightMebibyteStacks() throws Exception {
        // 64-byte frames: 100,000 levels need ~6.4 MB
        List<String> lines = runChild("-Disthmus.wasmStack.size=" + (8 << 20), 100_000);
        assertTrue(lines.contains("size " + (8 << 20) + " alignment " + (16 << 20)), () -> String.join("\n", lines));
        assertTrue(lines.contains("depth 100000"), () -> String.join("\n", lines));
        assertTrue(lines.contains("overflow true"), () -> String.join("\n", lines));
        assertTrue(lines.contains("top true"), () -> String.join("\n", lines));
    }

    @Test
    void defaultSizeIsOneMebibyte() throws Exception {
        List<String> lines = runChild(null, 10_000);
        assertTrue(lines.contains("size " + (1 << 20) + " alignment " + (2 << 20)), () -> String.join("\n", lines));
        assertTrue(lines.contains("depth 10000"), () -> String.join("\n", lines));
        assertTrue(lines.contains("overflow true"), () -> String.join("\n", lines));
    }

    private List<String> runChild(String property, long depth) throws Exception {
        Path output = temp.resolve("child.out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=" + temp.resolve("hs_err_%p.log")));
        if (property != null) command.add(property);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StackSizeChild.class.getName(),
                String.valueOf(depth)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child finished");
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), () -> "child JVM exit status; output:\n" + String.join("\n", lines));
        assertTrue(lines.contains("DONE"), () -> String.join("\n", lines));
        return lines;
    }
}
