package dev.isthmus.fuzz.jazzer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.text.Wat;
import dev.isthmus.text.WatSyntaxException;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;
import dev.isthmus.validate.Validator;

import java.nio.charset.StandardCharsets;

/**
 * The text parsers on arbitrary text (the input bytes as UTF-8; malformed UTF-8 becomes U+FFFD).
 * <ul>
 *   <li>WAT: {@link Wat#toBinary} returns a binary or throws {@link WatSyntaxException}; what it returns must then
 *       decode and validate, or be rejected with the front end's documented exceptions only.</li>
 *   <li>WAST: {@link WastParser#parse} never throws (what it cannot read becomes an unsupported command); the text
 *       modules of the commands it returns behave as in the WAT target.</li>
 * </ul>
 */
class TextFuzzTargetTest {
    @FuzzTest
    void wat(byte[] input) {
        module(new String(input, StandardCharsets.UTF_8));
    }

    @FuzzTest
    void wast(byte[] input) {
        for (WastCommand command : WastParser.parse(new String(input, StandardCharsets.UTF_8), "fuzz.wast")) {
            ModuleSource source = switch (command) {
                case WastCommand.ModuleCommand c -> c.source();
                case WastCommand.ModuleDefinition c -> c.source();
                case WastCommand.AssertMalformed c -> c.module();
                case WastCommand.AssertInvalid c -> c.module();
                default -> null;
            };
            switch (source) {
                case ModuleSource.Text t -> module(t.watText());
                case ModuleSource.Quote q -> module(q.asModuleText());
                case null, default -> { }
            }
        }
    }

    private static void module(String text) {
        byte[] binary;
        try {
            binary = Wat.toBinary(text, true);
        } catch (WatSyntaxException documented) {
            return;
        }
        try {
            Validator.validate(ModuleDecoder.decode(binary));
        } catch (dev.isthmus.binary.DecodeException | dev.isthmus.binary.ValidationException documented) {
            // ValidationException: the text format checks syntax only. DecodeException: the text parser writes
            // what the text says, e.g. the bytes of (module binary "...") or a memory index beyond 0 (the
            // multi-memory syntax "i32.store 32"), which the decoder rejects as malformed memop flags (known,
            // reported); both reach users of Isthmus.compile as MalformedModuleException, as documented.
        }
    }
}
