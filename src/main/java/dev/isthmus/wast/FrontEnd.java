package dev.isthmus.wast;

import dev.isthmus.InvalidModuleException;
import dev.isthmus.MalformedModuleException;
import dev.isthmus.model.WasmModule;

/**
 * The three front-end steps a script's modules go through: text to binary, binary to model, validation.
 * {@link IsthmusFrontEnd} is the real one; tests may substitute their own.
 */
public interface FrontEnd {

    /** Parses a complete {@code (module ...)} form in the text format to its binary encoding. */
    byte[] textToBinary(String watText) throws MalformedModuleException;

    /** Decodes a binary module. */
    WasmModule decode(byte[] binary) throws MalformedModuleException;

    /** Validates a decoded module. */
    void validate(WasmModule module) throws InvalidModuleException;
}
