package dev.isthmus.wast;

import dev.isthmus.model.WasmModule;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.tooling.Tooling;

import java.util.List;

/** The project's own front end (through {@link Tooling}): the WAST and WAT parsers, the binary decoder and the validator. */
public final class IsthmusFrontEnd implements FrontEnd, ScriptParser {

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
        return Tooling.decode(binary);
    }

    @Override
    public void validate(WasmModule module) {
        Tooling.validate(module);
    }

    /** A suite runner over this front end, without an execution engine (execution commands are skipped). */
    public static SuiteRunner suiteRunner() {
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd();
        return new SuiteRunner(frontEnd, new WastRunner(frontEnd));
    }
}
