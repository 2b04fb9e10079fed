package dev.isthmus.robustness;

import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.Callable;

/**
 * Inputs built to hit limits rather than found by mutation: very deep nesting in text (folded and flat) and binary,
 * huge declared counts, very long names. Each must be accepted or rejected with DecodeException /
 * ValidationException within the time limit; a StackOverflowError or OutOfMemoryError is a bug.
 */
class PathologicalInputTest {

    private static void check(String what, Callable<?> call) {
        try (GuardedRun guard = new GuardedRun(FrontEndFuzzTest.TIMEOUT_MILLIS * 4)) {
            GuardedRun.Result r = guard.run(call);
            System.out.println("[fuzz] " + what + ": " + r.outcome());
            Assertions.assertTrue(r.outcome() != GuardedRun.Outcome.UNEXPECTED
                    && r.outcome() != GuardedRun.Outcome.TIMEOUT, () -> what + ": " + r.outcome() + " " + r.error());
        }
    }

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    @Test
    void deeplyNestedText() {
        int depth = 100_000;
        String folded = "(module (func " + repeat("(block ", depth) + repeat(")", depth) + "))";
        check("text: " + depth + " folded blocks", () -> FrontEndFuzzTest.decodeAndValidate(Wat.toBinary(folded)));
        String flat = "(module (func " + repeat("block ", depth) + repeat("end ", depth) + "))";
        check("text: " + depth + " flat blocks", () -> FrontEndFuzzTest.decodeAndValidate(Wat.toBinary(flat)));
        String unclosed = "(module (func " + repeat("(block ", depth) + "))";
        check("text: " + depth + " unclosed blocks", () -> FrontEndFuzzTest.decodeAndValidate(Wat.toBinary(unclosed)));
        String parens = repeat("(", depth);
        check("text: " + depth + " open parentheses", () -> FrontEndFuzzTest.decodeAndValidate(Wat.toBinary(parens)));
        String exprs = "(module (func (result i32) " + repeat("(i32.add (i32.const 1) ", depth) + "(i32.const 0)"
                + repeat(")", depth) + "))";
        check("text: " + depth + " nested i32.add", () -> FrontEndFuzzTest.decodeAndValidate(Wat.toBinary(exprs)));
    }

    @Test
    void deeplyNestedBinary() {
        int depth = 1_000_000;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0); // no locals
        for (int i = 0; i < depth; i++) {
            body.write(0x02);
            body.write(0x40);
        }
        for (int i = 0; i < depth; i++) body.write(0x0B);
        body.write(0x0B);
        byte[] module = module(body.toByteArray());
        check("binary: " + depth + " nested blocks", () -> FrontEndFuzzTest.decodeAndValidate(module));
    }

    @Test
    void hugeDeclaredCounts() {
        // a body declaring 2^32-1 locals of i32 twice: "too many locals", without allocating them
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(2);
        for (int i = 0; i < 2; i++) {
            body.writeBytes(BinaryMutator.unsigned(0xFFFF_FFFFL));
            body.write(0x7F);
        }
        body.write(0x0B);
        byte[] module = module(body.toByteArray());
        check("binary: 2 x (2^32-1) locals", () -> FrontEndFuzzTest.decodeAndValidate(module));
        // a type section announcing 2^32-1 entries in 1 byte
        byte[] types = concat(FrontEndFuzzTest.PREAMBLE, new byte[] {1, 5}, BinaryMutator.unsigned(0xFFFF_FFFFL));
        check("binary: 2^32-1 types announced", () -> FrontEndFuzzTest.decodeAndValidate(types));
        // a custom section whose name length is 2^32-1
        byte[] custom = concat(FrontEndFuzzTest.PREAMBLE, new byte[] {0, 5}, BinaryMutator.unsigned(0xFFFF_FFFFL));
        check("binary: custom name of 2^32-1 bytes", () -> FrontEndFuzzTest.decodeAndValidate(custom));
    }

    @Test
    void longNamesAndStrings() {
        String name = "x".repeat(2_000_000);
        String text = "(module (func $" + name + " (export \"" + name + "\")) (memory 1) (data (i32.const 0) \""
                + "\\00".repeat(500_000) + "\"))";
        check("text: 2 MB names and a 1.5 MB data string",
                () -> FrontEndFuzzTest.decodeAndValidate(Wat.toBinary(text)));
    }

    /** A module with one type [] -> [], one function of that type, and {@code body} as its code. */
    private static byte[] module(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(FrontEndFuzzTest.PREAMBLE);
        out.writeBytes(new byte[] {1, 4, 1, 0x60, 0, 0});      // type section: [] -> []
        out.writeBytes(new byte[] {3, 2, 1, 0});               // function section: type 0
        byte[] entry = concat(BinaryMutator.unsigned(body.length), body);
        byte[] code = concat(new byte[] {1}, entry);
        out.write(10);
        out.writeBytes(BinaryMutator.unsigned(code.length));
        out.writeBytes(code);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
