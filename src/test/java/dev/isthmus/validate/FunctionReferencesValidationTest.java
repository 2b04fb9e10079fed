package dev.isthmus.validate;

import dev.isthmus.binary.DecodeException;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.WasmModule;
import dev.isthmus.model.WasmVersion;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed function references and extended constants (Wasm 3.0): each new rule rejects a module that breaks it with
 * the spec suite's wording, and {@link WasmVersion#V2_0} keeps the 2.0 rules where the two versions disagree.
 */
class FunctionReferencesValidationTest {

    private static WasmModule decode(String wat, WasmVersion version) {
        return ModuleDecoder.decode(Wat.toBinary(wat), version);
    }

    private static void valid(String wat) {
        assertDoesNotThrow(() -> Validator.validate(decode(wat, WasmVersion.V3_0), WasmVersion.V3_0));
    }

    private static void invalid(String wat, String reason) {
        invalid(wat, reason, WasmVersion.V3_0);
    }

    private static void invalid(String wat, String reason, WasmVersion version) {
        ValidationException e = assertThrows(ValidationException.class,
                () -> Validator.validate(decode(wat, version), version));
        assertTrue(e.reason().startsWith(reason), () -> "expected '" + reason + "', got: " + e.getMessage());
    }

    @Test
    void nonNullLocalsMustBeSetBeforeUse() {
        valid("(module (func (param (ref extern)) (result (ref extern)) (local (ref extern))"
                + " (local.set 1 (local.get 0)) (local.get 1)))");
        invalid("(module (func (result (ref extern)) (local (ref extern)) (local.get 0)))",
                "uninitialized local 0");
        // a set inside a block does not count after it
        invalid("(module (func (param (ref extern)) (result (ref extern)) (local (ref extern))"
                + " (block (local.set 1 (local.get 0))) (local.get 1)))", "uninitialized local 1");
        // nullable locals have a default
        valid("(module (func (result externref) (local (ref null extern)) (local.get 0)))");
    }

    @Test
    void callRefTakesAReferenceOfItsType() {
        valid("(module (type $t (func (param i32) (result i32)))"
                + " (func (param (ref $t)) (result i32) (call_ref $t (i32.const 1) (local.get 0))))");
        invalid("(module (type $t (func (param i32) (result i32))) (type $u (func))"
                + " (func (param (ref $u)) (result i32) (call_ref $t (i32.const 1) (local.get 0))))", "type mismatch");
        invalid("(module (type $t (func)) (func (param funcref) (call_ref $t (local.get 0))))", "type mismatch");
        invalid("(module (func (call_ref 7 (ref.null func))))", "unknown type");
        invalid("(module (type $t (func (result i32))) (func (param (ref $t)) (return_call_ref $t (local.get 0))))",
                "type mismatch");
    }

    @Test
    void nullBranchesAndCasts() {
        invalid("(module (func (param i32) (drop (ref.as_non_null (local.get 0)))))", "type mismatch");
        invalid("(module (func (param externref) (block (br_on_non_null 0 (local.get 0)))))", "type mismatch");
        valid("(module (func (param externref) (result (ref extern))"
                + " (block (br_on_null 0 (local.get 0)) (return)) (unreachable)))");
        invalid("(module (func (param externref) (result (ref extern)) (block (result (ref extern))"
                + " (br_on_null 0 (local.get 0)))))", "type mismatch");
    }

    @Test
    void subtypingOfFunctionReferences() {
        // (ref $t) <: (ref null $t) <: funcref, not the other way
        valid("(module (type $t (func)) (func $f (type $t)) (elem declare func $f)"
                + " (func (result funcref) (ref.func $f)))");
        valid("(module (type $t (func)) (func $f (type $t)) (elem declare func $f)"
                + " (func (result (ref $t)) (ref.func $f)))");
        invalid("(module (type $t (func)) (func (param funcref) (result (ref null $t)) (local.get 0)))",
                "type mismatch");
        invalid("(module (type $t (func)) (func (param (ref null $t)) (result (ref $t)) (local.get 0)))",
                "type mismatch");
        // structurally equal types are equivalent
        valid("(module (type $a (func (param i32))) (type $b (func (param i32)))"
                + " (func (param (ref $a)) (result (ref $b)) (local.get 0)))");
        invalid("(module (func (param (ref 3))))", "unknown type");
    }

    @Test
    void typedTablesNeedAnInitialiser() {
        valid("(module (type $t (func)) (func $f (type $t)) (table 2 (ref $t) (ref.func $f)))");
        invalid("(module (type $t (func)) (table 2 (ref $t)))", "type mismatch");
        invalid("(module (type $t (func)) (type $u (func (param i32))) (func $f (type $u))"
                + " (table 2 (ref $t) (ref.func $f)))", "type mismatch");
    }

    @Test
    void extendedConstants() {
        valid("(module (global $a i32 (i32.const 1)) (global i32 (i32.add (global.get $a) (i32.const 2))))");
        valid("(module (global i64 (i64.mul (i64.const 3) (i64.sub (i64.const 5) (i64.const 1)))))");
        invalid("(module (global i32 (global.get 1)) (global i32 (i32.const 0)))", "unknown global 1");
        invalid("(module (global $a (mut i32) (i32.const 1)) (global i32 (global.get $a)))",
                "constant expression required");
        invalid("(module (global i32 (i32.add (i32.const 1) (i64.const 2))))", "type mismatch");
        invalid("(module (global i32 (i32.div_s (i32.const 1) (i32.const 2))))", "constant expression required");
        // the 2.0 rules
        invalid("(module (global $a i32 (i32.const 1)) (global i32 (global.get $a)))", "unknown global 0",
                WasmVersion.V2_0);
        invalid("(module (global i32 (i32.add (i32.const 1) (i32.const 2))))", "constant expression required",
                WasmVersion.V2_0);
    }

    @Test
    void version20FindsTypedReferenceEncodingsMalformed() {
        byte[] binary = Wat.toBinary("(module (func (param (ref extern))))");
        assertThrows(DecodeException.class, () -> ModuleDecoder.decode(binary, WasmVersion.V2_0));
        assertDoesNotThrow(() -> ModuleDecoder.decode(binary, WasmVersion.V3_0));
        byte[] callRef = Wat.toBinary("(module (type $t (func)) (func (param (ref null $t)) (call_ref $t (local.get 0))))");
        DecodeException e = assertThrows(DecodeException.class, () -> ModuleDecoder.decode(callRef, WasmVersion.V2_0));
        assertTrue(e.reason().startsWith("malformed value type") || e.reason().startsWith("illegal opcode"),
                e.getMessage());
    }
}
