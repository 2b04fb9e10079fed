package dev.isthmus.wast;

import java.nio.file.Path;
import java.util.List;

/**
 * The exception-handling scripts of the wasm-3.0 suite (the 3.0 form, the legacy form under {@code legacy/}) and
 * the scripts whose tag imports and exports failed before tags existed. Run by SpecSuiteTest (ratchet
 * {@code wasm-3.0-exceptions.passing}).
 */
public final class ExceptionScripts {
    private ExceptionScripts() {}

    /** Paths relative to the wasm-3.0 directory; they are also the names the scripts are reported under. */
    public static final List<String> FILES = List.of(
            "tag.wast",
            "throw.wast",
            "throw_ref.wast",
            "try_table.wast",
            "imports.wast",
            "instance.wast",
            "exports.wast",
            "legacy/rethrow.wast",
            "legacy/throw.wast",
            "legacy/try_catch.wast",
            "legacy/try_delegate.wast");

    /** The scripts under {@code dir} (the wasm-3.0 directory), named by their relative paths. */
    public static List<ScriptFile> scripts(Path dir) {
        return FILES.stream().map(f -> new ScriptFile(dir.resolve(f), f)).toList();
    }
}
