package dev.isthmus.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The differential corpus in {@code src/test/resources/fuzz/corpus}: binaryen-generated modules ({@code NNNN.wasm})
 * with the reference interpreter's output ({@code NNNN.expected}); {@code scripts/fuzz/make-corpus.sh} makes them.
 * The system property {@code isthmus.fuzz.corpus} names another directory to use instead (a larger local corpus).
 */
final class FuzzCorpus {
    /** One corpus entry. */
    record Entry(String name, byte[] wasm, String expected) {
        ExpectedRun expectedRun() {
            return ExpectedRun.parse(expected);
        }
    }

    private FuzzCorpus() {
    }

    /** All entries, in name order. */
    static List<Entry> entries() {
        Path directory = directory();
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wasm")).sorted().map(FuzzCorpus::load)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Entry load(Path wasm) {
        String file = wasm.getFileName().toString();
        String name = file.substring(0, file.length() - ".wasm".length());
        try {
            return new Entry(name, Files.readAllBytes(wasm),
                    Files.readString(wasm.resolveSibling(name + ".expected"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        String override = System.getProperty("isthmus.fuzz.corpus");
        if (override != null) {
            return Path.of(override);
        }
        URL url = FuzzCorpus.class.getResource("/fuzz/corpus");
        if (url == null) {
            throw new IllegalStateException("fuzz/corpus is not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
