package dev.isthmus.wast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The conformance ratchet: a committed list of command ids ({@code file.wast:LINE kind}) that must keep passing.
 * Lines starting with {@code #} and blank lines are ignored.
 *
 * <p>The file is read from the source tree ({@code src/test/resources/conformance/NAME.passing}, relative to the
 * working directory, which is the project directory under Maven) so that an update is seen at once, else from the
 * class path. With {@code -Disthmus.ratchet.update=true} the test rewrites the source file with every command
 * passing now.
 */
final class Ratchet {
    static final String UPDATE_PROPERTY = "isthmus.ratchet.update";

    private final String name;
    private final Path sourceFile;

    Ratchet(String name) {
        this(name, Path.of("src/test/resources/conformance", name + ".passing"));
    }

    /** A ratchet kept in {@code sourceFile} (tests of the ratchet itself use a temporary file). */
    Ratchet(String name, Path sourceFile) {
        this.name = name;
        this.sourceFile = sourceFile;
    }

    static boolean updateRequested() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /** The ids that must pass; empty when there is no ratchet file yet. */
    Set<String> load() {
        try {
            if (Files.isRegularFile(sourceFile)) return parse(Files.readAllLines(sourceFile, StandardCharsets.UTF_8));
            try (InputStream in = Ratchet.class.getResourceAsStream("/conformance/" + name + ".passing")) {
                if (in == null) return Set.of();
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> parse(List<String> lines) {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) ids.add(t);
        }
        return ids;
    }

    /** Rewrites the source file with {@code passing}, in the given order. */
    Path write(List<String> passing) {
        StringBuilder b = new StringBuilder();
        b.append("# Commands of the ").append(name).append(" spec test suite that must keep passing (")
                .append(passing.size()).append(" ids).\n");
        b.append("# Regenerate after an improvement: ./mvnw test -Dtest=SpecSuiteTest -D").append(UPDATE_PROPERTY)
                .append("=true (see docs/conformance.md).\n");
        for (String id : passing) b.append(id).append('\n');
        try {
            Files.createDirectories(sourceFile.getParent());
            Files.writeString(sourceFile, b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sourceFile;
    }
}
