package dev.isthmus.wast;

import dev.isthmus.model.WasmModule;
import dev.isthmus.model.WasmVersion;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.tooling.Tooling;

import java.nio.file.Path;
import java.util.List;

/**
 * The project's own front end (through {@link Tooling}): the WAST and WAT parsers, the binary decoder and the
 * validator, applying the rules of one {@link WasmVersion} (default {@link WasmVersion#DEFAULT}; the 2.0 suite
 * needs {@link WasmVersion#V2_0}: {@link #versionOf}).
 */
public final class IsthmusFrontEnd implements FrontEnd, ScriptParser {
    private final WasmVersion version;

    /** The front end of everything Isthmus implements ({@link WasmVersion#DEFAULT}). */
    public IsthmusFrontEnd() {
        this(WasmVersion.DEFAULT);
    }

    public IsthmusFrontEnd(WasmVersion version) {
        this.version = version;
    }

    public WasmVersion version() {
        return version;
    }

    /** The front end for the spec suite in directory {@code directoryName} ({@code wasm-2*}: the 2.0 rules). */
    public static IsthmusFrontEnd forSuite(String directoryName) {
        return new IsthmusFrontEnd(directoryName.startsWith("wasm-2") ? WasmVersion.V2_0 : WasmVersion.DEFAULT);
    }

    /**
     * The rules a spec script is written against, from where it lies: {@link WasmVersion#V2_0} below a directory
     * whose name starts with {@code wasm-2} (the 2.0 suite, {@code ../shared/testsuite/wasm-2.0}), else
     * {@link WasmVersion#DEFAULT}.
     */
    public static WasmVersion versionOf(Path script) {
        Path parent = script.toAbsolutePath().normalize().getParent();
        for (Path p = parent; p != null && p.getFileName() != null; p = p.getParent()) {
            if (p.getFileName().toString().startsWith("wasm-2")) return WasmVersion.V2_0;
        }
        return WasmVersion.DEFAULT;
    }

    @Override
    public List<WastCommand> parse(String script, String fileName) {
        return Tooling.parseWast(script, fileName);
    }

    @Override
    public byte[] textToBinary(String watText) {
        return Tooling.watToBinary(watText, version);
    }

    @Override
    public WasmModule decode(byte[] binary) {
        return Tooling.decode(binary, version);
    }

    @Override
    public void validate(WasmModule module) {
        Tooling.validate(module, version);
    }

    /** A suite runner over this front end, without an execution engine (execution commands are skipped). */
    public static SuiteRunner suiteRunner() {
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd();
        return new SuiteRunner(frontEnd, new WastRunner(frontEnd));
    }
}
