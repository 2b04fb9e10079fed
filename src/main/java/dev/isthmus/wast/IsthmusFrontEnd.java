package dev.isthmus.wast;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;
import dev.isthmus.validate.Validator;

import java.util.List;

/** The project's own front end: the WAST and WAT parsers, the binary decoder and the validator. */
public final class IsthmusFrontEnd implements FrontEnd, ScriptParser {

    @Override
    public List<WastCommand> parse(String script, String fileName) {
        return WastParser.parse(script, fileName);
    }

    @Override
    public byte[] textToBinary(String watText) {
        return Wat.toBinary(watText);
    }

    @Override
    public WasmModule decode(byte[] binary) {
        return ModuleDecoder.decode(binary);
    }

    @Override
    public void validate(WasmModule module) {
        Validator.validate(module);
    }

    /** A suite runner over this front end, without an execution engine (execution commands are skipped). */
    public static SuiteRunner suiteRunner() {
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd();
        return new SuiteRunner(frontEnd, new WastRunner(frontEnd));
    }
}
