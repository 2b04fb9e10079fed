package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptor exports only the embedding API, and the CLI runs on the module path as it does on the class
 * path (tests themselves run on the class path).
 */
class ModuleBoundaryTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @TempDir
    Path temp;

    @Test
    void descriptorExportsExactlyTheApiPackages() {
        ModuleReference reference = ModuleFinder.of(CLASSES).find("dev.isthmus").orElseThrow(
                () -> new AssertionError("no module dev.isthmus in " + CLASSES.toAbsolutePath()));
        ModuleDescriptor descriptor = reference.descriptor();
        assertEquals(Set.of("dev.isthmus", "dev.isthmus.wasi", "dev.isthmus.model", "dev.isthmus.options"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified),
                "no qualified exports");
        assertTrue(descriptor.opens().isEmpty(), "no opened packages");
        assertTrue(descriptor.packages().contains("dev.isthmus.runtime.trap"), "internal packages are in the module");
    }

    @Test
    void cliRunsOnTheModulePathAsOnTheClassPath() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> runArgs = List.of("run", "examples/hello/hello.wasm", "world");
        List<String> onModulePath = new ArrayList<>(List.of(java, "--enable-native-access=dev.isthmus",
                "-p", CLASSES.toString(), "-m", "dev.isthmus/dev.isthmus.cli.Main"));
        onModulePath.addAll(runArgs);
        List<String> onClassPath = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", CLASSES.toString(), "dev.isthmus.cli.Main"));
        onClassPath.addAll(runArgs);
        String modular = run(onModulePath, "module");
        String classic = run(onClassPath, "classpath");
        assertTrue(!classic.isBlank(), "the class-path run printed something");
        assertEquals(classic, modular);
    }

    private String run(List<String> command, String name) throws Exception {
        Path output = temp.resolve(name + ".out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), name + " run finished");
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), () -> name + " run exit status; output:\n" + text);
        return text;
    }
}
