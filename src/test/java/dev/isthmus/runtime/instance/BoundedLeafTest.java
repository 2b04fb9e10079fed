package dev.isthmus.runtime.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which functions {@link BoundedLeaf} admits to critical downcalls, alone or calling each other. A critical downcall must never reach Java: an
 * upcall from one ends the JVM (HotSpot's upcall stub checks the thread state: "wrong thread state for upcall").
 * Before this test, a function whose only way into Java was {@code throw} was admitted, and calling it through its
 * exact handle killed the process.
 */
class BoundedLeafTest {
    private static final String WAT = """
            (module
              (import "env" "host" (func $host))
              (memory 1)
              (table 1 funcref)
              (tag $t)
              (func (export "straight") (param i32) (result i32)
                (if (result i32) (local.get 0) (then (i32.load (local.get 0))) (else (memory.size))))
              (func (export "traps") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func (export "catchesNothingThrown") (result i32)
                (block $h (try_table (catch_all $h) (nop))) (i32.const 1))
              (func (export "loop") (loop $l (br $l)))
              (func (export "calls") (call $host))
              (func (export "grows") (result i32) (memory.grow (i32.const 1)))
              (func (export "fills") (memory.fill (i32.const 0) (i32.const 0) (i32.const 1)))
              (func (export "tableSize") (result i32) (table.size))
              (func (export "throws") (throw $t))
              (func (export "throwsRef") (param exnref) (throw_ref (local.get 0)))
              (func (export "rethrows") (try (do (throw $t)) (catch $t (rethrow 0))))
              (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "callsAdd") (param i32) (result i32) (call $add (local.get 0) (call $add (local.get 0) (i32.const 1))))
              (func $spin (export "spin") (loop $l (br $l)))
              (func (export "callsSpin") (call $spin))
              (func $even (export "even") (param i32) (result i32)
                (if (result i32) (local.get 0) (then (call $odd (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 1))))
              (func $odd (export "odd") (param i32) (result i32)
                (if (result i32) (local.get 0) (then (call $even (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0))))
              (func (export "callsHostThroughAdd") (call $viaHost))
              (func $viaHost (export "viaHost") (call $host))
              DOUBLINGS)
            """.replace("DOUBLINGS", doublings(12));

    /**
     * Functions $d0 .. $dn, each calling the one below twice ($d0 adds two numbers): $dk runs 2^k bodies, so past a
     * depth the run exceeds {@link BoundedLeaf#MAX_RUN_BYTES} though each body is tiny.
     */
    private static String doublings(int n) {
        StringBuilder s = new StringBuilder("(func $d0 (export \"d0\") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))\n");
        for (int k = 1; k <= n; k++) {
            s.append("(func $d").append(k).append(" (export \"d").append(k).append("\") (param i32) (result i32) (call $d")
                    .append(k - 1).append(" (call $d").append(k - 1).append(" (local.get 0))))\n");
        }
        return s.toString();
    }

    @Test
    void onlyFunctionsThatNeverReachJavaAreAdmitted() {
        WasmModule module = Wat.parse(WAT);
        List<String> admitted = new ArrayList<>();
        for (int f = 1; f <= module.codes().size(); f++) {
            if (BoundedLeaf.test(module, f, false)) admitted.add(module.exports().get(f - 1).name());
        }
        // a call of admitted functions is bounded too; a loop, recursion or host function anywhere below is not,
        // nor a tree whose bodies run more than MAX_RUN_BYTES (d0 .. d12: d_k runs 2^k bodies of ~10 bytes)
        List<String> expected = new ArrayList<>(List.of("straight", "traps", "catchesNothingThrown", "add",
                "callsAdd"));
        int deepest = 0;
        for (int k = 0; k <= 12; k++) {
            if (admitted.contains("d" + k)) {
                expected.add("d" + k);
                deepest = k;
            }
        }
        assertEquals(expected, admitted);
        org.junit.jupiter.api.Assertions.assertTrue(deepest >= 5 && deepest < 12, "deepest doubling " + deepest);
        assertEquals(false, BoundedLeaf.test(module, 1, true));              // fuel: the refill calls Java
        assertEquals(false, BoundedLeaf.test(module, 0, false));             // an import
    }

    /** The functions a critical entry must have compiled first: the function and everything it calls. */
    @Test
    void theTreeListsEveryFunctionACallCanRun() {
        WasmModule module = Wat.parse(WAT);
        int callsAdd = index(module, "callsAdd"), add = index(module, "add");
        assertEquals(List.of(add, callsAdd), java.util.Arrays.stream(BoundedLeaf.tree(module, callsAdd, false)).boxed().toList());
        assertEquals(List.of(index(module, "d0"), index(module, "d1"), index(module, "d2")),
                java.util.Arrays.stream(BoundedLeaf.tree(module, index(module, "d2"), false)).boxed().toList());
    }

    private static int index(WasmModule module, String name) {
        return module.exports().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().index();
    }
}
