package dev.isthmus.wast;

import dev.isthmus.model.CustomSection;
import dev.isthmus.InvalidModuleException;
import dev.isthmus.MalformedModuleException;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.NameSection;
import dev.isthmus.model.WasmModule;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A front end for runner tests whose verdict is written in the module itself. Binary (and text) modules are
 * words: {@code "ok"} decodes and validates, {@code "malformed:REASON"} fails decoding, {@code "invalid:REASON"}
 * fails validation, {@code "crash"} throws an IndexOutOfBoundsException from the decoder. Text is "parsed" by
 * taking the word inside {@code (module ...)} as the bytes.
 */
final class FakeFrontEnd implements FrontEnd {

    static WasmModule module(String word) {
        return new WasmModule(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                WasmModule.NO_START, List.of(), WasmModule.NO_DATA_COUNT, List.of(), List.of(),
                List.of(new CustomSection(word, new byte[0], 0)), NameSection.EMPTY);
    }

    @Override
    public byte[] textToBinary(String watText) {
        String word = watText.startsWith("(module ") && watText.endsWith(")")
                ? watText.substring(8, watText.length() - 1).strip() : watText;
        return word.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public WasmModule decode(byte[] binary) {
        String word = new String(binary, StandardCharsets.UTF_8);
        if (word.startsWith("malformed:")) throw malformed(word.substring(10));
        if (word.equals("crash")) throw new IndexOutOfBoundsException("boom");
        return module(word);
    }

    @Override
    public void validate(WasmModule module) {
        String word = module.customSections().getFirst().name();
        if (word.startsWith("invalid:")) throw invalid(word.substring(8));
    }

    /** The API exception the real front end (through Tooling) makes of the internal one. */
    private static MalformedModuleException malformed(String reason) {
        DecodeException e = new DecodeException(reason, 0);
        return new MalformedModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(), e);
    }

    private static InvalidModuleException invalid(String reason) {
        ValidationException e = new ValidationException(reason, null, -1, -1);
        return new InvalidModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(), e);
    }
}
