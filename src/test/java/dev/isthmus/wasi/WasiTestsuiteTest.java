package dev.isthmus.wasi;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmTrap;
import dev.isthmus.wast.TestsuiteLocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official wasi-testsuite (preview1 programs in C, Rust and AssemblyScript, under {@code TESTSUITE/wasi}, see
 * {@link TestsuiteLocation}): one dynamic test per program, run in this JVM through {@link Wasi} the way
 * {@code isthmus run} does. Each test's directory tree is copied to a temporary directory first (the shared suite
 * is never modified); its {@code root} is preopened as {@code /}; arguments and environment come from the JSON
 * specification (legacy or operation-based); the exit code must match, and stdout and stderr when the
 * specification gives them (as the reference runner: two Rust programs print diagnostics nobody checks).
 *
 * <p>Ratchet: {@code src/test/resources/conformance/wasi.passing} lists programs that must keep passing; a listed
 * program failing fails its test; an unlisted one failing is reported but passes.
 * {@code -Disthmus.ratchet.update=true} rewrites the list with every program passing now.
 */
class WasiTestsuiteTest {
    private static final Path RATCHET = Path.of("src/test/resources/conformance/wasi.passing");

    /** What a specification expects from one run. */
    record Expectation(List<String> args, Map<String, String> env, String root, int exitCode, String stdout,
            String stderr) {
    }

    @TestFactory
    Stream<DynamicTest> programs() throws IOException {
        Path suite = TestsuiteLocation.directory("wasi");
        List<Path> programs;
        try (Stream<Path> files = Files.walk(suite)) {
            programs = files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        }
        Set<String> mustPass = loadRatchet();
        Set<String> passing = new TreeSet<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path program : programs) {
            String id = suite.relativize(program).toString();
            tests.add(DynamicTest.dynamicTest(id, () -> {
                String failure = runOne(program);
                if (failure == null) {
                    passing.add(id);
                } else if (mustPass.contains(id)) {
                    Assertions.fail(id + ": " + failure);
                } else {
                    System.out.println("[wasi] not passing (not in the ratchet): " + id + ": " + failure);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("ratchet", () -> {
            if (Boolean.getBoolean("isthmus.ratchet.update")) {
                StringBuilder b = new StringBuilder("# wasi-testsuite programs that must keep passing ("
                        + passing.size() + " of " + programs.size() + "); rewrite with -Disthmus.ratchet.update=true\n");
                for (String id : passing) b.append(id).append('\n');
                Files.writeString(RATCHET, b.toString());
            }
            Set<String> vanished = new TreeSet<>(mustPass);
            for (Path p : programs) vanished.remove(suite.relativize(p).toString());
            Assertions.assertTrue(vanished.isEmpty(), "ratchet lists programs that do not exist: " + vanished);
        }));
        return tests.stream();
    }

    private static Set<String> loadRatchet() throws IOException {
        Set<String> ids = new TreeSet<>();
        if (!Files.isRegularFile(RATCHET)) return ids;
        for (String line : Files.readAllLines(RATCHET)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) ids.add(t);
        }
        return ids;
    }

    /** Runs one program; null when it behaves as specified, else what differed. */
    static String runOne(Path program) throws IOException {
        String base = program.getFileName().toString().replaceFirst("\\.wasm$", "");
        Path specFile = program.resolveSibling(base + ".json");
        Expectation spec = expectation(Files.isRegularFile(specFile) ? Files.readString(specFile) : "{}");
        Path scratch = Files.createTempDirectory("isthmus-wasi-");
        try {
            WasiOptions.Builder options = WasiOptions.builder().arg(program.getFileName().toString())
                    .args(spec.args());
            spec.env().forEach(options::env);
            if (spec.root() != null) {
                Path root = scratch.resolve("root");
                copyTree(program.resolveSibling(spec.root()), root);
                options.preopen(root, "/");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            options.stdin(new ByteArrayInputStream(new byte[0])).stdout(out).stderr(err);
            int exitCode;
            String trap = "";
            CompiledModule module = Isthmus.create().compile(program);
            try (Wasi wasi = new Wasi(options.build());
                    Instance instance = module.instantiate(wasi.addTo(Imports.builder()).build())) {
                exitCode = wasi.run(instance);
            } catch (WasmTrap t) {
                exitCode = 134;
                trap = t.describe();
            } finally {
                module.close();
            }
            String stdout = out.toString(StandardCharsets.UTF_8);
            String stderr = err.toString(StandardCharsets.UTF_8);
            List<String> problems = new ArrayList<>();
            if (exitCode != spec.exitCode()) problems.add("exit code " + exitCode + ", expected " + spec.exitCode());
            if (spec.stdout() != null && !stdout.equals(spec.stdout())) {
                problems.add("stdout " + quote(stdout) + ", expected " + quote(spec.stdout()));
            }
            if (spec.stderr() != null && !stderr.equals(spec.stderr())) {
                problems.add("stderr " + quote(stderr) + ", expected " + quote(spec.stderr()));
            }
            if (problems.isEmpty()) return null;
            return String.join("; ", problems) + (stderr.isEmpty() ? "" : "\nstderr: " + stderr) + trap;
        } finally {
            deleteTree(scratch);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    /** Reads a legacy ({@code args, env, root, exit_code, stdout, stderr}) or operation-based specification. */
    @SuppressWarnings("unchecked")
    static Expectation expectation(String json) {
        Map<String, Object> spec = (Map<String, Object>) MiniJson.parse(json);
        List<String> args = new ArrayList<>();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        String root = null;
        int exitCode = 0;
        String stdout = null;
        String stderr = null;
        List<Map<String, Object>> operations = new ArrayList<>();
        if (spec.containsKey("operations")) {
            for (Object op : (List<Object>) spec.get("operations")) operations.add((Map<String, Object>) op);
        } else {
            Map<String, Object> run = new java.util.HashMap<>(spec);
            run.put("type", "run");
            operations.add(run);
            operations.add(Map.of("type", "wait", "exit_code", spec.getOrDefault("exit_code", 0L)));
            // like the reference runner (stdout: Optional), output is checked only when the spec gives it
            if (spec.containsKey("stdout")) {
                operations.add(Map.of("type", "read", "id", "stdout", "payload", spec.get("stdout")));
            }
            if (spec.containsKey("stderr")) {
                operations.add(Map.of("type", "read", "id", "stderr", "payload", spec.get("stderr")));
            }
        }
        for (Map<String, Object> op : operations) {
            switch ((String) op.get("type")) {
                case "run" -> {
                    for (Object a : (List<Object>) op.getOrDefault("args", List.of())) args.add((String) a);
                    ((Map<String, Object>) op.getOrDefault("env", Map.of())).forEach((k, v) -> env.put(k, (String) v));
                    root = (String) op.get("root");
                }
                case "wait" -> exitCode = ((Number) op.getOrDefault("exit_code", 0L)).intValue();
                case "read" -> {
                    String payload = (String) op.getOrDefault("payload", "");
                    if ("stderr".equals(op.get("id"))) {
                        stderr = payload;
                    } else {
                        stdout = payload;
                    }
                }
                default -> throw new IllegalArgumentException("unsupported operation " + op.get("type"));
            }
        }
        return new Expectation(args, env, root, exitCode, stdout, stderr);
    }

    /** Copies a tree keeping symlinks as symlinks; removes wasi-testsuite {@code *.cleanup} leftovers. */
    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getFileName().toString().endsWith(".cleanup")) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().endsWith(".cleanup")) return FileVisitResult.CONTINUE;
                Files.copy(file, to.resolve(from.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
