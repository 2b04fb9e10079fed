package dev.isthmus.wast;

import dev.isthmus.model.WasmModule;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.tooling.Tooling;

import java.util.List;

/** The project's own front end (through {@link Tooling}): the WAST and WAT parsers, the binary decoder and the validator. */
public final class IsthmusFrontEnd implements FrontEnd, ScriptParser {
    private final boolean multiMemory;

    /** The Wasm 3.0 front end (multiple memories). */
    public IsthmusFrontEnd() {
        this(true);
    }

    /**
     * {@code multiMemory} false: the Wasm 2.0 rules for memories (one at most, reserved zero bytes for memory
     * indices, memarg flags below 32), as the Wasm 2.0 spec suite expects them.
     */
    public IsthmusFrontEnd(boolean multiMemory) {
        this.multiMemory = multiMemory;
    }

    /** The front end for the spec suite in {@code directoryName} ({@code wasm-2.0}: the 2.0 rules). */
    public static IsthmusFrontEnd forSuite(String directoryName) {
        return new IsthmusFrontEnd(!directoryName.startsWith("wasm-2.0"));
    }

    @Override
    public List<WastCommand> parse(String script, String fileName) {
        return Tooling.parseWast(script, fileName);
    }

    @Override
    public byte[] textToBinary(String watText) {
        return Tooling.watToBinary(watText);
    }

    @Override
    public WasmModule decode(byte[] binary) {
        return Tooling.decode(binary, multiMemory);
    }

    @Override
    public void validate(WasmModule module) {
        Tooling.validate(module, multiMemory);
    }

    /** A suite runner over this front end, without an execution engine (execution commands are skipped). */
    public static SuiteRunner suiteRunner() {
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd();
        return new SuiteRunner(frontEnd, new WastRunner(frontEnd));
    }
}
