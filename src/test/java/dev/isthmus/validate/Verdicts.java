package dev.isthmus.validate;

import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.WasmModule;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions shared by the validator tests. */
final class Verdicts {
    private Verdicts() {}

    static void assertValid(TestModule module) {
        assertValid(module.build());
    }

    static void assertValid(WasmModule module) {
        assertDoesNotThrow(() -> Validator.validate(module));
    }

    /** Asserts the module is invalid with a reason starting with {@code reasonPrefix}; returns the error. */
    static ValidationException assertInvalid(TestModule module, String reasonPrefix) {
        return assertInvalid(module.build(), reasonPrefix);
    }

    static ValidationException assertInvalid(WasmModule module, String reasonPrefix) {
        ValidationException e = assertThrows(ValidationException.class, () -> Validator.validate(module));
        assertTrue(e.reason().startsWith(reasonPrefix),
                () -> "expected reason starting with \"" + reasonPrefix + "\" but got \"" + e.getMessage() + "\"");
        return e;
    }

    /** A module with one function of {@code signature} and {@code body}, plus a memory and a funcref table. */
    static TestModule function(String signature, String body) {
        return new TestModule().memory().table("funcref").func(signature, body);
    }
}
