package dev.isthmus.runtime.abi;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.options.Tier;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout.PathElement;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vmctx offsets the compiler bakes into code come from one {@code MemoryLayout}: the accessors agree with the
 * layout's own path arithmetic, and compiled code addresses exactly those offsets from r15.
 */
class VmContextLayoutTest {
    private static final String MODULE = """
            (module
              (import "env" "f" (func $f (param i32) (result i32)))
              (import "env" "g" (global $g i32))
              (table $t0 1 funcref)
              (table $t1 2 funcref)
              (memory 1)
              (global $a (mut i32) (i32.const 1))
              (global $b (mut i64) (i64.const 2))
              (global $c (mut i32) (i32.const 3))
              (type $sig (func (param i32) (result i32)))
              (func $readC (export "readC") (result i32) global.get $c)
              (func $size (export "size") (result i32) memory.size)
              (func $indirect (export "indirect") (param i32) (result i32)
                (call_indirect $t1 (type $sig) (local.get 0) (local.get 0)))
              (func $callImport (export "callImport") (param i32) (result i32) (call $f (local.get 0))))
            """;

    /** The poll word lies in the poll page just below the vmctx, within an 8-bit displacement of r15. */
    @Test
    void pollWordIsInThePollPageBelowTheContext() {
        assertTrue(VmContextLayout.POLL < 0 && VmContextLayout.POLL >= -VmContextLayout.POLL_PAGE_SIZE);
        assertTrue(VmContextLayout.POLL >= -128, "an 8-bit displacement keeps the poll at 4 bytes");
        assertEquals(0, VmContextLayout.POLL % 4, "an aligned dword");
    }

    @Test
    void accessorsAgreeWithTheLayoutPaths() {
        WasmModule module = Wat.parse(MODULE);
        VmContextLayout vm = VmContextLayout.of(module);
        var layout = vm.layout();
        assertEquals(layout.byteOffset(groupElement("memoryBase")), vm.memoryBase());
        assertEquals(layout.byteOffset(groupElement("memorySize")), vm.memorySize());
        assertEquals(layout.byteOffset(groupElement("raiseStub")), vm.raiseStub());
        for (Builtin b : Builtin.values()) {
            int first = Builtin.MEMORY_GROW_N.ordinal();
            assertEquals(b.ordinal() < first
                    ? layout.byteOffset(groupElement("builtins"), sequenceElement(b.ordinal()))
                    : layout.byteOffset(groupElement("laterBuiltins"), sequenceElement(b.ordinal() - first)),
                    vm.builtin(b));
        }
        for (int f = 0; f < module.functionCount(); f++) {
            for (String field : new String[] {"code", "vmctx", "typeId"}) {
                long viaAccessor = vm.funcRef(f) + FuncRefLayout.LAYOUT.byteOffset(groupElement(field));
                assertEquals(vm.funcRefFieldByPath(f, field), viaAccessor, "funcRefs[" + f + "]." + field);
            }
        }
        assertEquals(offset(vm, "tables", 1), vm.table(1));
        assertEquals(offset(vm, "globals", 3), vm.global(3));
        assertEquals(layout.byteSize(), vm.size());
        assertEquals(0, vm.size() % 8);
    }

    /** Memories 1..n-1 after everything else; memory 0 keeps the two words at the top. */
    @Test
    void memoriesBeyondTheFirstFollowEveryOtherField() {
        WasmModule module = Wat.parse("(module (memory 1) (memory 0) (memory $m 2) (global i32 (i32.const 0)))");
        VmContextLayout vm = VmContextLayout.of(module);
        var layout = vm.layout();
        assertEquals(vm.memoryBase(), vm.memoryBase(0));
        assertEquals(vm.memorySize(), vm.memorySize(0));
        for (int k = 1; k < 3; k++) {
            assertEquals(layout.byteOffset(groupElement("memories"), sequenceElement(k - 1), groupElement("base")),
                    vm.memoryBase(k));
            assertEquals(layout.byteOffset(groupElement("memories"), sequenceElement(k - 1), groupElement("size")),
                    vm.memorySize(k));
            assertTrue(vm.memoryBase(k) > vm.fuelStub());
        }
        // then the two words of code compiled when first called, added after the memories (no offset moved)
        assertEquals(vm.memorySize(2) + 8, vm.lazyTable());
        assertEquals(vm.lazyTable() + 8, vm.tierUpStub());
        assertEquals(vm.tierUpStub() + 8, vm.size());
        // the fields code for a single memory uses sit where they sat before multiple memories
        VmContextLayout single = VmContextLayout.of(Wat.parse("(module (memory 1) (global i32 (i32.const 0)))"));
        assertEquals(single.global(0), vm.global(0));
        assertEquals(single.fuel(), vm.fuel());
        for (Builtin b : Builtin.values()) assertEquals(single.builtin(b), vm.builtin(b));
    }

    @Test
    void compiledCodeAddressesTheLayoutsOffsets() throws Exception {
        WasmModule module = Wat.parse(MODULE);
        Validator.validate(module);
        VmContextLayout vm = VmContextLayout.of(module);
        for (Tier tier : Tier.values()) {
            MachineCode code = ModuleCompiler.compile(module, CompilerOptions.DEFAULT.withTier(tier));
            try (Disassembler dis = Disassembler.open()) {
                // function indices: 0 = import f, 1 = readC, 2 = size, 3 = indirect, 4 = callImport
                assertUses(dis, code, 1, vm.global(3), tier);          // global $c is global 3 (import first)
                assertUses(dis, code, 2, vm.memorySize(), tier);
                assertUses(dis, code, 3, vm.table(1), tier);
                assertUses(dis, code, 4, vm.funcRef(0), tier);
            }
        }
    }

    private static void assertUses(Disassembler dis, MachineCode code, int function, long offset, Tier tier) {
        String listing = dis.listing(code.functionCode(function), 0);
        String operand = String.format("[r15+0x%02X]", offset);
        assertTrue(listing.replace(" ", "").contains(operand.replace(" ", ""))
                        || listing.contains(String.format("r15+0x%X", offset)),
                tier + ": function " + function + " should address " + operand + " (vmctx offset " + offset + "):\n"
                        + listing);
    }

    private static long offset(VmContextLayout vm, String array, int index) {
        PathElement[] path = {groupElement(array), sequenceElement(index)};
        return vm.layout().byteOffset(path);
    }
}
