package dev.isthmus.wast;

import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastAction;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastExpected;
import dev.isthmus.text.script.WastValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WastRunnerTest {
    private final WastRunner frontEndOnly = new WastRunner(new FakeFrontEnd());

    private static ModuleSource bin(String word) {
        return new ModuleSource.Binary(word.getBytes(StandardCharsets.UTF_8));
    }

    private CommandResult one(WastCommand command) {
        List<CommandResult> results = frontEndOnly.run("t.wast", List.of(command));
        assertEquals(1, results.size(), results::toString);
        return results.getFirst();
    }

    @Test
    void moduleThatLoadsPasses() {
        CommandResult r = one(new WastCommand.ModuleCommand(3, null, bin("ok")));
        assertEquals(Verdict.PASSED, r.verdict());
        assertEquals("t.wast:3 module", r.id());
    }

    @Test
    void moduleThatIsRejectedFails() {
        CommandResult r = one(new WastCommand.ModuleCommand(3, "$m", bin("invalid:type mismatch")));
        assertEquals(Verdict.FAILED, r.verdict());
        assertTrue(r.message().contains("type mismatch"), r.message());
    }

    @Test
    void assertMalformedPassesOnMalformedAndNotesOtherWording() {
        CommandResult same = one(new WastCommand.AssertMalformed(1, bin("malformed:unexpected end of section"),
                "unexpected end"));
        assertEquals(Verdict.PASSED, same.verdict());
        assertNull(same.note());
        CommandResult other = one(new WastCommand.AssertMalformed(2, new ModuleSource.Quote("malformed:junk"),
                "unknown operator"));
        assertEquals(Verdict.PASSED, other.verdict());
        assertEquals("expected \"unknown operator\", got \"junk\"", other.note());
    }

    @Test
    void assertMalformedFailsWhenTheModuleDecodesEvenIfInvalid() {
        assertEquals(Verdict.FAILED, one(new WastCommand.AssertMalformed(1, bin("ok"), "x")).verdict());
        assertEquals(Verdict.FAILED, one(new WastCommand.AssertMalformed(1, bin("invalid:y"), "x")).verdict());
    }

    @Test
    void assertInvalidNeedsAValidationError() {
        assertEquals(Verdict.PASSED, one(new WastCommand.AssertInvalid(1, bin("invalid:type mismatch"),
                "type mismatch")).verdict());
        CommandResult malformed = one(new WastCommand.AssertInvalid(1, bin("malformed:bad"), "type mismatch"));
        assertEquals(Verdict.FAILED, malformed.verdict());
        assertTrue(malformed.message().contains("malformed"), malformed.message());
        assertEquals(Verdict.FAILED, one(new WastCommand.AssertInvalid(1, bin("ok"), "type mismatch")).verdict());
    }

    @Test
    void frontEndCrashIsAFailureNotAnException() {
        CommandResult r = one(new WastCommand.AssertMalformed(1, bin("crash"), "x"));
        assertEquals(Verdict.FAILED, r.verdict());
        assertTrue(r.message().contains("IndexOutOfBoundsException"), r.message());
    }

    @Test
    void executionCommandsAreSkippedWithoutAnEngine() {
        WastAction invoke = new WastAction.Invoke(5, null, "f", List.of());
        List<WastCommand> commands = List.of(
                new WastCommand.ActionCommand(5, invoke),
                new WastCommand.AssertReturn(6, invoke, List.of()),
                new WastCommand.AssertTrap(7, invoke, "unreachable"),
                new WastCommand.AssertExhaustion(8, invoke, "call stack exhausted"),
                new WastCommand.Register(9, "m", null));
        for (CommandResult r : frontEndOnly.run("t.wast", commands)) {
            assertEquals(Verdict.SKIPPED, r.verdict(), r.id());
            assertEquals(WastRunner.NO_ENGINE, r.message());
        }
    }

    @Test
    void instantiationAssertionsCheckTheModuleAndSkipTheRest() {
        List<CommandResult> rs = frontEndOnly.run("t.wast", List.of(
                new WastCommand.AssertUnlinkable(10, bin("ok"), "unknown import"),
                new WastCommand.AssertModuleTrap(20, bin("malformed:x"), "unreachable")));
        assertEquals(List.of("t.wast:10 module", "t.wast:10 assert_unlinkable", "t.wast:20 module",
                "t.wast:20 assert_trap"), rs.stream().map(CommandResult::id).toList());
        assertEquals(List.of(Verdict.PASSED, Verdict.SKIPPED, Verdict.FAILED, Verdict.SKIPPED),
                rs.stream().map(CommandResult::verdict).toList());
    }

    @Test
    void unsupportedCommandsFailUnderTheirKind() {
        CommandResult r = one(new WastCommand.Unsupported(4, "assert_return", "unknown value"));
        assertEquals(Verdict.FAILED, r.verdict());
        assertEquals("t.wast:4 assert_return", r.id());
    }

    /** An engine whose modules export "answer" (returns i32 42), "trap" and "nan" (f32 canonical NaN). */
    private static final class FakeEngine implements ExecutionEngine {
        final List<String> registered = new ArrayList<>();

        @Override
        public Instance instantiate(WasmModule module, byte[] binary) {
            String word = module.customSections().getFirst().name();
            if (word.equals("needs-import")) throw new EngineFailure(EngineFailure.Kind.UNLINKABLE, "unknown import");
            return new Instance() {};
        }

        @Override
        public void register(String as, Instance instance) {
            registered.add(as);
        }

        @Override
        public List<Value> invoke(Instance instance, String export, List<Value> args) {
            return switch (export) {
                case "answer" -> List.of(new Value.Num(ValType.I32, 42));
                case "nan" -> List.of(new Value.Num(ValType.F32, 0xFFC0_0000L));
                case "trap" -> throw new EngineFailure(EngineFailure.Kind.TRAP, "integer divide by zero");
                default -> throw new EngineFailure(EngineFailure.Kind.UNLINKABLE, "no export " + export);
            };
        }

        @Override
        public Value get(Instance instance, String export) {
            return new Value.Num(ValType.I64, -1);
        }
    }

    @Test
    void withAnEngineExecutionCommandsAreJudged() {
        FakeEngine engine = new FakeEngine();
        WastRunner runner = new WastRunner(new FakeFrontEnd(), engine);
        WastAction answer = new WastAction.Invoke(2, null, "answer", List.of(new WastValue.Num(ValType.I32, 1)));
        WastAction nan = new WastAction.Invoke(3, "$m", "nan", List.of());
        WastAction trap = new WastAction.Invoke(4, null, "trap", List.of());
        WastExpected i32of42 = new WastExpected.Exact(new WastValue.Num(ValType.I32, 42));
        List<CommandResult> rs = runner.run("t.wast", List.of(
                new WastCommand.ModuleCommand(1, "$m", bin("ok")),
                new WastCommand.AssertReturn(2, answer, List.of(i32of42)),
                new WastCommand.AssertReturn(3, nan, List.of(new WastExpected.CanonicalNan(ValType.F32))),
                new WastCommand.AssertTrap(4, trap, "integer divide"),
                new WastCommand.AssertReturn(5, answer, List.of(new WastExpected.Exact(
                        new WastValue.Num(ValType.I32, 41)))),
                new WastCommand.AssertTrap(6, answer, "unreachable"),
                new WastCommand.AssertUnlinkable(7, bin("needs-import"), "unknown import"),
                new WastCommand.Register(8, "M", "$m"),
                new WastCommand.AssertReturn(9, new WastAction.Get(9, null, "g"), List.of(new WastExpected.Exact(
                        new WastValue.Num(ValType.I64, -1))))));
        assertEquals(List.of(Verdict.PASSED, Verdict.PASSED, Verdict.PASSED, Verdict.PASSED, Verdict.FAILED,
                        Verdict.FAILED, Verdict.PASSED, Verdict.PASSED, Verdict.PASSED, Verdict.PASSED),
                rs.stream().map(CommandResult::verdict).toList(), rs::toString);
        assertEquals(List.of("M"), engine.registered);
    }

    @Test
    void aFailedModuleLeavesNoCurrentInstance() {
        WastRunner runner = new WastRunner(new FakeFrontEnd(), new FakeEngine());
        List<CommandResult> rs = runner.run("t.wast", List.of(
                new WastCommand.ModuleCommand(1, null, bin("ok")),
                new WastCommand.ModuleCommand(2, null, bin("invalid:x")),
                new WastCommand.ActionCommand(3, new WastAction.Invoke(3, null, "answer", List.of()))));
        assertEquals(Verdict.FAILED, rs.get(2).verdict());
        assertTrue(rs.get(2).message().contains("no current module instance"), rs.get(2).message());
    }
}
