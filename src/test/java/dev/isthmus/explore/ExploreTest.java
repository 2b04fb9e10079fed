package dev.isthmus.explore;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.cli.Main;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.tooling.MachineListing;
import dev.isthmus.tooling.Tooling;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import dev.isthmus.zydis.ZydisSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code isthmus explore}: wasm listings, machine listings mapped to them, and the HTML page. */
class ExploreTest {
    private static final String MODULE = """
            (module
              (memory 1)
              (func $add_loaded (export "add") (param i32 i32) (result i32)
                (i32.add (i32.load offset=8 (local.get 0)) (local.get 1)))
              (func $count (param i32) (result i32) (local i32)
                (block $done
                  (loop $again
                    (br_if $done (i32.eqz (local.get 0)))
                    (local.set 1 (i32.add (local.get 1) (i32.const 3)))
                    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                    (br $again)))
                (local.get 1))
              (func (export "pi") (result f64) (f64.const 3.5)))
            """;

    private static WasmModule module() {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(MODULE, true));
        Validator.validate(module);
        return module;
    }

    @Test
    void wasmListingsHaveNamesOffsetsAndNesting() {
        WasmModule module = module();
        MachineListing code = Tooling.compile(module, CompilerOptions.DEFAULT);
        List<FunctionListing> listings = Explorer.listings(module, code, null);
        assertEquals(3, listings.size());
        assertEquals("add_loaded", listings.get(0).name());
        assertEquals("count", listings.get(1).name());
        assertEquals("pi", listings.get(2).name(), "export name when the name section has none");
        List<String> add = listings.get(0).wasm().stream().map(FunctionListing.WasmLine::text).toList();
        assertEquals(List.of("local.get 0", "i32.load offset=8 align=4", "local.get 1", "i32.add", "end"), add);
        FunctionListing count = listings.get(1);
        FunctionListing.WasmLine loop = count.wasm().get(1);
        assertEquals("loop", loop.text());
        assertEquals(1, loop.depth());
        assertEquals(2, count.wasm().get(2).depth(), "inside block and loop");
        assertEquals(module.codes().get(1).codeOffset(), count.wasm().get(0).offset());
        assertTrue(listings.get(2).wasm().get(0).text().startsWith("f64.const 0x1.cp1"));
        assertTrue(count.machine().isEmpty(), "no disassembler, no machine listing");
    }

    @Test
    void machineInstructionsMapToWasmInstructionsOfTheirFunction() {
        WasmModule module = module();
        MachineListing code = Tooling.compile(module, CompilerOptions.DEFAULT.withFramePointer(true));
        try (Disassembler zydis = ZydisSupport.openOrSkip()) {
            for (FunctionListing listing : Explorer.listings(module, code, zydis)) {
                assertFalse(listing.machine().isEmpty(), listing.name());
                List<Integer> wasmOffsets = listing.wasm().stream().map(FunctionListing.WasmLine::offset).toList();
                long mapped = listing.machine().stream().filter(m -> m.wasmOffset() >= 0).count();
                assertTrue(mapped > 0, listing.name() + " has machine instructions mapped to wasm");
                for (FunctionListing.MachineLine line : listing.machine()) {
                    if (line.wasmOffset() >= 0) {
                        assertTrue(wasmOffsets.contains(line.wasmOffset()), line + " maps to an instruction start");
                    }
                }
                assertEquals("push rbp", listing.machine().get(0).text(), "frame chain kept");
            }
        }
    }

    @Test
    void commandWritesSelfContainedHtml(@TempDir Path dir) throws Exception {
        Path wat = dir.resolve("small.wat");
        Files.writeString(wat, MODULE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (Disassembler probe = ZydisSupport.openOrSkip()) {
            status = Main.run(new String[] {"explore", "--frame-pointer", "on", wat.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        Path html = dir.resolve("small.html");
        assertTrue(Files.exists(html), "default output: module name + .html");
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<h2 id=\"f0\">add_loaded"));
        assertTrue(page.contains("i32.load offset=8 align=4"));
        assertTrue(page.contains("push rbp"), "disassembly lines");
        assertTrue(page.contains("mouseenter"), "inline script links both sides");
        assertFalse(page.contains("src=\"http") || page.contains("href=\"http"), "no external resources");
        assertTrue(page.matches("(?s).*<div class=\"ln\" data-w=\"\\d+\"><span class=\"off\">[0-9a-f]{6}</span>  "
                + "<span class=\"bytes\">.*"), "machine lines carry the wasm offset they came from");
    }

    @Test
    void textListingOfOneFunctionOrAll(@TempDir Path dir) throws Exception {
        Path wat = dir.resolve("small.wat");
        Files.writeString(wat, MODULE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (Disassembler probe = ZydisSupport.openOrSkip()) {
            assertEquals(0, Main.run(new String[] {"explore", "--text", "count", wat.toString()}, o, e),
                    err.toString(StandardCharsets.UTF_8));
            String one = out.toString(StandardCharsets.UTF_8);
            assertTrue(one.startsWith(";; func 1 count\n"), one);
            assertTrue(one.contains("br_if 1") && one.contains(";; machine code\n"), one);
            assertFalse(one.contains("add_loaded"), "only the function asked for");
            out.reset();
            assertEquals(0, Main.run(new String[] {"explore", "--text", wat.toString()}, o, e));
            String all = out.toString(StandardCharsets.UTF_8);
            assertTrue(all.contains(";; func 0 add_loaded") && all.contains(";; func 2 "), all);
            assertFalse(Files.exists(dir.resolve("small.html")), "no HTML page in text mode");
            assertEquals(1, Main.run(new String[] {"explore", "--text", "nosuch", wat.toString()}, o, e));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("no function nosuch"));
        }
    }

    @Test
    void variantFlagsApply(@TempDir Path dir) throws Exception {
        Path wat = dir.resolve("small.wat");
        Files.writeString(wat, MODULE);
        Path html = dir.resolve("pinned.html");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Disassembler probe = ZydisSupport.openOrSkip()) {
            int status = Main.run(new String[] {"explore", "--stack-check", "explicit-pinned", "--frame-pointer", "off",
                    wat.toString(), "-o", html.toString()}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        }
        String page = Files.readString(html);
        assertTrue(page.contains("test esp, 0x"), "the explicit-pinned check is in the listing");
        assertFalse(page.contains("push rbp"), "no frame pointer");
    }

    @Test
    void explicitOutputAndUsageErrors(@TempDir Path dir) throws Exception {
        Path wat = dir.resolve("m.wat");
        Files.writeString(wat, "(module (func (export \"f\")))");
        Path html = dir.resolve("custom.html");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream outStream = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int status = Main.run(new String[] {"explore", wat.toString(), "-o", html.toString()}, outStream, errStream);
        if (status == 1) {
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("apt-get install libzydis4.0"));
        } else {
            assertEquals(0, status);
            assertTrue(Files.readString(html).contains("<h2 id=\"f0\">f"));
        }
        assertEquals(2, Main.run(new String[] {"explore"}, outStream, errStream));
        assertEquals(2, Main.run(new String[] {"explore", "--tier", "fastest", wat.toString()}, outStream, errStream));
        assertEquals(1, Main.run(new String[] {"explore", dir.resolve("missing.wasm").toString()}, outStream,
                errStream));
    }

    @Test
    void escapesHtml() {
        assertEquals("&lt;a href=&quot;x&quot;&gt; &amp;", ExploreHtml.escape("<a href=\"x\"> &"));
    }
}
