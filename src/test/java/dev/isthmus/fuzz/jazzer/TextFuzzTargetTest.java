package dev.isthmus.fuzz.jazzer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ModuleRejection;
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
 *       decode (the text parser writes well-formed binaries) and validate or be rejected with
 *       {@link dev.isthmus.binary.ValidationException} only; except a {@code (module binary "...")} form, whose
 *       bytes are the author's and may be malformed (any text with the keyword {@code binary} may decode with a
 *       {@link dev.isthmus.binary.DecodeException}).</li>
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

    private static final java.util.regex.Pattern BINARY_FORM = java.util.regex.Pattern.compile("(?<![\\w$.])binary(?![\\w.])");

    private static void module(String text) {
        byte[] binary;
        try {
            binary = Wat.toBinary(text, true);
        } catch (WatSyntaxException documented) {
            return;
        }
        try {
            Validator.validate(ModuleDecoder.decode(binary));
        } catch (dev.isthmus.binary.ValidationException documented) {
            // the text format checks syntax only
        } catch (ModuleRejection e) {
            if (BINARY_FORM.matcher(text).find()) return; // (module binary "...") passes its bytes through
            // the text parser accepted the text but wrote a binary its own decoder rejects
            throw new AssertionError("text parser wrote a malformed binary: " + e.getMessage(), e);
        }
    }
}
