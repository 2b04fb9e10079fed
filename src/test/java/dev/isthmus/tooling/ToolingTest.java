package dev.isthmus.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.InvalidModuleException;
import dev.isthmus.MalformedModuleException;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.text.WatSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tools' facade gives the API's exceptions with the internal ones as cause, and listings for the explorer. */
class ToolingTest {
    @Test
    void rejectionsAreTheApiExceptionsWithTheFrontEndsReasons() {
        MalformedModuleException text = assertThrows(MalformedModuleException.class,
                () -> Tooling.watToBinary("(module (func (i32.bogus)))"));
        assertInstanceOf(WatSyntaxException.class, text.getCause());
        assertEquals(text.getCause().getMessage(), text.getMessage());
        assertEquals("unknown operator i32.bogus", text.reason());

        MalformedModuleException binary = assertThrows(MalformedModuleException.class,
                () -> Tooling.decode(new byte[] {0, 'a', 's', 'm'}));
        assertInstanceOf(DecodeException.class, binary.getCause());

        WasmModule invalid = Tooling.decode(Tooling.watToBinary("(module (func (result i32) (i64.const 0)))"));
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Tooling.validate(invalid));
        assertInstanceOf(ValidationException.class, e.getCause());
        assertEquals("type mismatch", e.reason());

        assertEquals(1, Tooling.parseWast("(module)", "t.wast").size());
        WasmModule simd = Tooling.decode(Tooling.watToBinary("(module (func (param v128)))"));
        Tooling.validate(simd);
        assertNotNull(Tooling.compile(simd, CompilerOptions.DEFAULT));   // SIMD compiles (CpuRequirementsTest: the
                                                                          // refusal without SSE4.1)
    }

    @Test
    void compiledModuleListsEachFunctionsCodeAndMapsItToWasm() {
        WasmModule module = Tooling.decode(Tooling.watToBinary(
                "(module (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))", true));
        Tooling.validate(module);
        List<Tooling.WasmInstruction> wasm = Tooling.wasmInstructions(module.codes().getFirst());
        assertEquals(List.of("local.get 0", "local.get 1", "i32.add", "end"),
                wasm.stream().map(Tooling.WasmInstruction::text).toList());
        assertFalse(wasm.getFirst().opensBlock());
        MachineListing code = Tooling.compile(module, CompilerOptions.DEFAULT);
        byte[] bytes = code.functionCode(0);
        assertTrue(bytes.length > 0);
        int start = code.functionOffset(0);
        boolean mapped = false;
        for (int pc = start; pc < start + bytes.length; pc++) {
            int offset = code.wasmOffsetAt(pc);
            mapped |= offset >= module.codes().getFirst().codeOffset();
        }
        assertTrue(mapped, "some machine code maps to the body's instructions");
    }
}
