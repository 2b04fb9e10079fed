package dev.isthmus.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every text module of the official Wasm 2.0 suite parses (to bytes the binary decoder accepts), and every
 * {@code assert_malformed} quote module is rejected with the suite's wording.
 */
class SpecSuiteTextModulesTest {
    private static final Path SUITE = Path.of("/work/shared/testsuite/wasm-2.0");

    @Test
    void everyTextModuleOfTheSuiteParsesAndEveryMalformedOneFails() throws IOException {
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        int rejected = 0;
        try (Stream<Path> files = Files.list(SUITE)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".wast")).sorted().toList()) {
                for (WastCommand c : WastParser.parse(Files.readString(file), file.getFileName().toString())) {
                    String where = file.getFileName() + ":" + c.line();
                    ModuleSource source = switch (c) {
                        case WastCommand.ModuleCommand m -> m.source();
                        case WastCommand.AssertInvalid m -> m.module();
                        case WastCommand.AssertUnlinkable m -> m.module();
                        case WastCommand.AssertUninstantiable m -> m.module();
                        case WastCommand.AssertModuleTrap m -> m.module();
                        case WastCommand.AssertMalformed m -> m.module();
                        case WastCommand.Unsupported u -> {
                            failures.add(where + " unsupported: " + u.reason());
                            yield null;
                        }
                        default -> null;
                    };
                    String text = switch (source) {
                        case ModuleSource.Text t -> t.watText();
                        case ModuleSource.Quote q -> q.asModuleText();
                        case null, default -> null;
                    };
                    if (text == null) continue;
                    String error = null;
                    try {
                        // the 2.0 text and binary rules (u32 limits and offsets: "i32 constant out of range")
                        ModuleDecoder.decode(Wat.toBinary(text, false, false), dev.isthmus.model.WasmVersion.V2_0);
                    } catch (DecodeException e) {
                        error = e.getMessage();
                    }
                    if (c instanceof WastCommand.AssertMalformed m) {
                        if (error == null) failures.add(where + " accepted a malformed module");
                        if (error != null && source instanceof ModuleSource.Quote && !error.startsWith(m.message())) {
                            failures.add(where + " expected '" + m.message() + "' but got '" + error + "'");
                        }
                        rejected++;
                    } else {
                        if (error != null) failures.add(where + " " + error);
                        accepted++;
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(accepted > 3000 && rejected > 1000, accepted + " / " + rejected);
    }
}
