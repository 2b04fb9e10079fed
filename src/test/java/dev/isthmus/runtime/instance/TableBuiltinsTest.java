package dev.isthmus.runtime.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.TypeIds;
import dev.isthmus.runtime.memory.LinearMemory;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.OperandSize;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables, element segments and the table/memory builtins, called from assembled code. */
class TableBuiltinsTest {
    private static final WasmModule MODULE = TestModules.parse("""
            (module
              (type $r (func (result i32)))
              (table (export "t") 4 10 funcref)
              (memory (export "m") 1)
              (elem (i32.const 1) $f42 $f7)
              (elem $passive func $f7 $f42)
              (data $d "hello")
              (func $f42 (result i32) i32.const 42)
              (func $f7 (result i32) i32.const 7)
              (func (export "callIndirect") (param i32) (result i32) local.get 0 call_indirect (type $r))
              (func (export "tableGrow") (param i32 i32 i32) (result i32) i32.const 0)
              (func (export "tableFill") (param i32 i32 i32 i32) (result i32) i32.const 0)
              (func (export "tableCopy") (param i32 i32 i32 i32) (result i32) i32.const 0)
              (func (export "tableInit") (param i32 i32 i32 i32) (result i32) i32.const 0)
              (func (export "elemDrop") (param i32) (result i32) i32.const 0)
              (func (export "memoryInit") (param i32 i32 i32 i32) (result i32) i32.const 0)
              (func (export "memoryFill") (param i32 i32 i32) (result i32) i32.const 0)
              (func (export "memoryCopy") (param i32 i32 i32) (result i32) i32.const 0)
              (func (export "dataDrop") (param i32) (result i32) i32.const 0))
            """);
    private static final AssembledCode CODE = new AssembledCode(MODULE, Map.ofEntries(
            Map.entry(0, (asm, layout) -> {
                asm.mov(OperandSize.DWORD, Gpr.RAX, 42);
                asm.ret();
            }),
            Map.entry(1, (asm, layout) -> {
                asm.mov(OperandSize.DWORD, Gpr.RAX, 7);
                asm.ret();
            }),
            Map.entry(2, AssembledCode.callIndirect(TypeIds.of(MODULE.types().getFirst()))),
            Map.entry(3, AssembledCode.callBuiltin(Builtin.TABLE_GROW)),
            Map.entry(4, AssembledCode.callBuiltin(Builtin.TABLE_FILL)),
            Map.entry(5, tableCopy()),
            Map.entry(6, tableInit()),
            Map.entry(7, AssembledCode.callBuiltin(Builtin.ELEM_DROP)),
            Map.entry(8, AssembledCode.callBuiltin(Builtin.MEMORY_INIT)),
            Map.entry(9, AssembledCode.callBuiltin(Builtin.MEMORY_FILL)),
            Map.entry(10, AssembledCode.callBuiltin(Builtin.MEMORY_COPY)),
            Map.entry(11, AssembledCode.callBuiltin(Builtin.DATA_DROP))));

    /** table.copy 0 0 (d, s, n) with the table indices prepended. */
    private static java.util.function.BiConsumer<dev.isthmus.x64.Assembler, dev.isthmus.runtime.abi.VmContextLayout>
            tableCopy() {
        return (asm, layout) -> {
            // (d, s, n, unused) → builtin (dstTable 0, srcTable 0, d, s, n)
            asm.push(Gpr.R15);
            asm.mov(OperandSize.QWORD, Gpr.R9, Gpr.RDX);
            asm.mov(OperandSize.QWORD, Gpr.R8, Gpr.RSI);
            asm.mov(OperandSize.QWORD, Gpr.RCX, Gpr.RDI);
            asm.xor(OperandSize.DWORD, Gpr.RDX, Gpr.RDX);
            asm.xor(OperandSize.DWORD, Gpr.RSI, Gpr.RSI);
            asm.mov(OperandSize.QWORD, Gpr.RDI, Gpr.R15);
            asm.call(dev.isthmus.x64.Mem.of(Gpr.R15, (int) layout.builtin(Builtin.TABLE_COPY)));
            asm.pop(Gpr.R15);
            asm.ret();
        };
    }

    /** table.init 0 (segment, d, s, n). */
    private static java.util.function.BiConsumer<dev.isthmus.x64.Assembler, dev.isthmus.runtime.abi.VmContextLayout>
            tableInit() {
        return (asm, layout) -> {
            asm.push(Gpr.R15);
            asm.mov(OperandSize.QWORD, Gpr.R9, Gpr.RCX);
            asm.mov(OperandSize.QWORD, Gpr.R8, Gpr.RDX);
            asm.mov(OperandSize.QWORD, Gpr.RCX, Gpr.RSI);
            asm.mov(OperandSize.QWORD, Gpr.RDX, Gpr.RDI);
            asm.xor(OperandSize.DWORD, Gpr.RSI, Gpr.RSI);
            asm.mov(OperandSize.QWORD, Gpr.RDI, Gpr.R15);
            asm.call(dev.isthmus.x64.Mem.of(Gpr.R15, (int) layout.builtin(Builtin.TABLE_INIT)));
            asm.pop(Gpr.R15);
            asm.ret();
        };
    }

    private static RuntimeInstance instantiate() {
        return Instantiator.instantiate(MODULE, CODE, (m, n) -> null, dev.isthmus.options.BoundsChecks.GUARD_PAGES);
    }

    private static long call(RuntimeInstance instance, String export, long... args) {
        var f = (ExternValue.WasmFunction) instance.export(export);
        return FunctionCaller.call(CODE.entryAdapterAddress(f.typeIndex()), f.funcRef(), args, 1)[0];
    }

    private static final long OOB_TABLE = TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS.code();
    private static final long OOB_MEMORY = TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS.code();

    @Test
    void activeSegmentsFillTheTableAndCallIndirectUsesThem() {
        try (RuntimeInstance instance = instantiate()) {
            assertEquals(42, call(instance, "callIndirect", 1));
            assertEquals(7, call(instance, "callIndirect", 2));
            assertEquals(TrapCode.UNDEFINED_ELEMENT,
                    assertThrows(TrapException.class, () -> call(instance, "callIndirect", 0)).kind());
            assertEquals(instance.funcRef(0), instance.table(0).get(1));
        }
    }

    @Test
    void tableGrowFillCopyInitAndDrop() {
        try (RuntimeInstance instance = instantiate()) {
            long f42 = instance.funcRef(0);
            assertEquals(4, call(instance, "tableGrow", 0, f42, 2));
            assertEquals(6, instance.table(0).size());
            assertEquals(42, call(instance, "callIndirect", 5));
            assertEquals(0xFFFF_FFFFL, call(instance, "tableGrow", 0, 0, 5) & 0xFFFF_FFFFL);
            assertEquals(0, call(instance, "tableFill", 0, 3, 0, 3));
            assertEquals(0, instance.table(0).get(5));
            assertEquals(OOB_TABLE, call(instance, "tableFill", 0, 5, 0, 2));
            assertEquals(0, call(instance, "tableCopy", 2, 1, 2));
            assertEquals(42, call(instance, "callIndirect", 2));
            assertEquals(7, call(instance, "callIndirect", 3));
            assertEquals(0, call(instance, "tableInit", 1, 4, 0, 2));
            assertEquals(7, call(instance, "callIndirect", 4));
            assertEquals(42, call(instance, "callIndirect", 5));
            assertEquals(OOB_TABLE, call(instance, "tableInit", 1, 5, 1, 2));
            assertEquals(OOB_TABLE, call(instance, "tableInit", 1, 0, 1, 2));
            call(instance, "elemDrop", 1);
            assertEquals(0, call(instance, "tableInit", 1, 6, 0, 0));
            assertEquals(OOB_TABLE, call(instance, "tableInit", 1, 0, 0, 1));
            assertEquals(OOB_TABLE, call(instance, "tableInit", 0, 0, 0, 1));
        }
    }

    @Test
    void memoryInitFillCopyAndDrop() {
        try (RuntimeInstance instance = instantiate()) {
            var bytes = instance.memory(0).segment();
            assertEquals(0, call(instance, "memoryInit", 0, 10, 1, 4));
            assertEquals('e', bytes.get(ValueLayout.JAVA_BYTE, 10));
            assertEquals('o', bytes.get(ValueLayout.JAVA_BYTE, 13));
            assertEquals(OOB_MEMORY, call(instance, "memoryInit", 0, 10, 2, 4));
            assertEquals(OOB_MEMORY, call(instance, "memoryInit", 0, 65535, 0, 2));
            assertEquals(0, call(instance, "memoryInit", 0, 65536, 0, 0));
            assertEquals(0, call(instance, "memoryCopy", 11, 10, 4));
            assertEquals('e', bytes.get(ValueLayout.JAVA_BYTE, 11));
            assertEquals('l', bytes.get(ValueLayout.JAVA_BYTE, 12));
            assertEquals(0, call(instance, "memoryFill", 0, 0xAB, 3));
            assertEquals((byte) 0xAB, bytes.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals(OOB_MEMORY, call(instance, "memoryFill", 65530, 0, 7));
            assertEquals(OOB_MEMORY, call(instance, "memoryCopy", 0, 65530, 7));
            call(instance, "dataDrop", 0);
            assertEquals(OOB_MEMORY, call(instance, "memoryInit", 0, 0, 0, 1));
            assertEquals(0, call(instance, "memoryInit", 0, 0, 0, 0));
        }
    }

}
