package dev.isthmus.robustness;

import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modules of the spec test scripts, as seeds for mutation: every {@code (module binary ...)} and every text
 * module (also the quoted ones), each kept once, in file order so runs are reproducible.
 */
final class SeedCorpus {
    private final List<byte[]> binaries;
    private final List<String> texts;

    private SeedCorpus(List<byte[]> binaries, List<String> texts) {
        this.binaries = binaries;
        this.texts = texts;
    }

    /** The seeds of every {@code .wast} file directly in {@code dir}. */
    static SeedCorpus load(Path dir) {
        Set<ByteBuffer> binaries = new LinkedHashSet<>();
        Set<String> texts = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".wast")).sorted().toList()) {
                for (WastCommand c : WastParser.parse(Files.readString(file), file.getFileName().toString())) {
                    ModuleSource source = switch (c) {
                        case WastCommand.ModuleCommand m -> m.source();
                        case WastCommand.ModuleDefinition m -> m.source();
                        case WastCommand.AssertMalformed m -> m.module();
                        case WastCommand.AssertInvalid m -> m.module();
                        case WastCommand.AssertUnlinkable m -> m.module();
                        case WastCommand.AssertUninstantiable m -> m.module();
                        case WastCommand.AssertModuleTrap m -> m.module();
                        default -> null;
                    };
                    switch (source) {
                        case ModuleSource.Binary b -> binaries.add(ByteBuffer.wrap(b.bytes()));
                        case ModuleSource.Text t -> texts.add(t.watText());
                        case ModuleSource.Quote q -> texts.add(q.asModuleText());
                        case null -> { }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (ByteBuffer b : binaries) bytes.add(b.array());
        return new SeedCorpus(bytes, List.copyOf(texts));
    }

    /** The {@code (module binary ...)} modules. */
    List<byte[]> binaries() {
        return binaries;
    }

    /** The text modules, each a complete {@code (module ...)} form. */
    List<String> texts() {
        return texts;
    }
}
