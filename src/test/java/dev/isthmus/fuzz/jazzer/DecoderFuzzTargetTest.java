package dev.isthmus.fuzz.jazzer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.Isthmus;
import dev.isthmus.ModuleRejectedException;
import dev.isthmus.UnsupportedFeatureException;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.validate.Validator;

/**
 * The binary decoder and validator on arbitrary bytes: a module is accepted, or rejected with
 * {@link DecodeException} / {@link ValidationException}; nothing else may escape (an error, an
 * {@code IndexOutOfBoundsException}, a hang or an {@code OutOfMemoryError} is a bug).
 */
class DecoderFuzzTargetTest {
    @FuzzTest
    void decodeAndValidate(byte[] bytes) {
        try {
            Validator.validate(ModuleDecoder.decode(bytes));
        } catch (DecodeException | ValidationException documented) {
            // rejected: fine
        }
    }

    /**
     * The same bytes through the public entry point, which also sniffs text: only the {@link ModuleRejectedException}
     * family (or {@link UnsupportedFeatureException}) may escape. Valid modules are compiled too, so this target
     * stays on the front end by preferring the baseline tier (fast).
     */
    @FuzzTest
    void publicApi(byte[] bytes) {
        try {
            ENGINE.compile(bytes).close();
        } catch (ModuleRejectedException | UnsupportedFeatureException documented) {
            // rejected: fine
        }
    }

    private static final Isthmus ENGINE = Isthmus.builder().tier(dev.isthmus.options.Tier.BASELINE).build();
}
