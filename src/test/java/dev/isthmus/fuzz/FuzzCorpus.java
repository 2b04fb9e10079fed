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
 * The differential corpora in {@code src/test/resources/fuzz/}: binaryen-generated modules ({@code NNNN.wasm}) with
 * the reference interpreter's output ({@code NNNN.expected}). {@code corpus/} is binaryen 108's (Wasm 2.0 without
 * SIMD; {@code scripts/fuzz/make-corpus.sh}), the others binaryen 132's, one per profile of
 * {@code scripts/fuzz/profiles.tsv} ({@code scripts/fuzz/make-corpus-132.sh PROFILE}): {@code simd-corpus/},
 * {@code wasm2-corpus/}, {@code multimemory-corpus/}, {@code reftypes-corpus/}, {@code eh-corpus/}. The system property
 * {@code isthmus.fuzz.NAME} (e.g. {@code isthmus.fuzz.simd-corpus}) names another directory to use instead of
 * {@code fuzz/NAME} (a larger local corpus).
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

    /** All entries of the binaryen-108 corpus, in name order. */
    static List<Entry> entries() {
        return entries("corpus");
    }

    /** All entries of the corpus {@code fuzz/NAME}, in name order. */
    static List<Entry> entries(String name) {
        Path directory = directory(name);
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

    private static Path directory(String name) {
        String override = System.getProperty("isthmus.fuzz." + name);
        if (override != null) {
            return Path.of(override);
        }
        URL url = FuzzCorpus.class.getResource("/fuzz/" + name);
        if (url == null) {
            throw new IllegalStateException("fuzz/" + name + " is not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
