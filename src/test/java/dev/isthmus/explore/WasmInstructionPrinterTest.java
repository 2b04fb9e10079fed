package dev.isthmus.explore;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.tooling.Tooling;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The flat text of instructions with each kind of immediate, and every instruction of the committed examples. */
class WasmInstructionPrinterTest {
    private static List<String> texts(String wat) {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat, true));
        Validator.validate(module);
        return Explorer.listings(module, Tooling.compile(module, CompilerOptions.DEFAULT), null).getFirst()
                .wasm().stream().map(FunctionListing.WasmLine::text).toList();
    }

    @Test
    void immediates() {
        List<String> texts = texts("""
                (module
                  (type $t (func (param i32) (result i32)))
                  (table 2 funcref) (memory 1) (global $g (mut i64) (i64.const 0))
                  (elem declare func 0) (data "x")
                  (func (param i32) (result i32)
                    (block (block (br_table 0 1 0 (local.get 0))))
                    (drop (call_indirect (type $t) (i32.const 1) (i32.const 0)))
                    (global.set $g (i64.const -5))
                    (i64.store8 offset=3 (local.get 0) (i64.const 7))
                    (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
                    (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))
                    (table.copy (i32.const 0) (i32.const 0) (i32.const 0))
                    (drop (ref.func 0)) (drop (ref.null extern))
                    (drop (f32.const nan)) (drop (f64.const -inf))
                    (select (result i32) (i32.const 1) (i32.const 2) (local.get 0))))
                """);
        assertEquals("br_table 0 1 0", texts.get(3));
        List<String> expected = List.of("call_indirect (type 0)", "global.set 0", "i64.const -5",
                "i64.store8 offset=3 align=1", "memory.fill", "memory.init 0", "table.copy 0 0", "ref.func 0",
                "ref.null extern", "f32.const nan:0x400000", "f64.const -inf", "select (result i32)");
        for (String text : expected) assertFalse(texts.indexOf(text) < 0, text + " in " + texts);
    }

    @Test
    void memoryIndicesBeyondTheFirst() {
        List<String> texts = texts("""
                (module (memory 1) (memory $two 1) (data "x")
                  (func (param i32)
                    (i64.store8 $two offset=3 (local.get 0) (i64.const 7))
                    (drop (i32.load $two (local.get 0)))
                    (drop (memory.size $two)) (drop (memory.grow 1 (i32.const 0)))
                    (memory.fill $two (i32.const 0) (i32.const 0) (i32.const 0))
                    (memory.copy 0 $two (i32.const 0) (i32.const 0) (i32.const 0))
                    (memory.init $two 0 (i32.const 0) (i32.const 0) (i32.const 0))
                    (drop (v128.load8_lane $two 1 (local.get 0) (v128.const i64x2 0 0)))))
                """);
        List<String> expected = List.of("i64.store8 1 offset=3 align=1", "i32.load 1 align=4", "memory.size 1",
                "memory.grow 1", "memory.fill 1", "memory.copy 0 1", "memory.init 1 0", "v128.load8_lane 1 align=1 1");
        for (String text : expected) assertFalse(texts.indexOf(text) < 0, text + " in " + texts);
    }

    @Test
    void everyInstructionOfTheExamplesPrints() throws Exception {
        for (String file : List.of("examples/ackermann/ackermann.wasm", "examples/fib/fib.wasm",
                "examples/calls/calls.wasm", "examples/deep/deep.wasm", "examples/hello/hello.wasm")) {
            Path path = Path.of(file);
            if (!Files.exists(path)) continue;
            WasmModule module = ModuleDecoder.decode(Files.readAllBytes(path));
            Validator.validate(module);
            for (FunctionListing listing : Explorer.listings(module, Tooling.compile(module,
                    CompilerOptions.DEFAULT), null)) {
                assertFalse(listing.wasm().isEmpty(), file + " " + listing.name());
                assertEquals("end", listing.wasm().getLast().text(), file + " " + listing.name());
                assertEquals(0, listing.wasm().getLast().depth(), file + " " + listing.name() + " nesting balances");
            }
        }
    }
}
