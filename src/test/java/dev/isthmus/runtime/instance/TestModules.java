package dev.isthmus.runtime.instance;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import dev.isthmus.x64.Assembler;
import java.util.Map;
import java.util.function.BiConsumer;

/** Test modules with their hand-assembled code (see {@link AssembledCode}). */
public final class TestModules {
    private TestModules() {
    }

    /** A module exercising memory, a host import, builtins, globals and traps. */
    public static final String BASIC = """
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (memory (export "memory") 1 3)
              (global $g (export "g") i32 (i32.const 42))
              (data (i32.const 16) "\\2a\\00\\00\\00")
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
              (func (export "load") (param i32) (result i32) local.get 0 i32.load)
              (func (export "callHost") (param i32) (result i32) local.get 0 call $host)
              (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
              (func (export "size") (result i32) memory.size)
              (func (export "trap") unreachable)
              (func (export "getG") (result i32) global.get $g)
              (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store))
            """;

    /** Bodies of {@link #BASIC} by function index. */
    public static Map<Integer, BiConsumer<Assembler, VmContextLayout>> basicBodies() {
        return Map.of(
                1, AssembledCode::add,
                2, AssembledCode::load,
                3, AssembledCode.callImport(0),
                4, AssembledCode.callBuiltin(Builtin.MEMORY_GROW),
                5, AssembledCode::memorySize,
                6, AssembledCode::unreachable,
                7, AssembledCode.globalGet(0),
                8, AssembledCode::store);
    }

    /** Decodes and validates WAT text. */
    public static WasmModule parse(String wat) {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat));
        Validator.validate(module);
        return module;
    }
}
