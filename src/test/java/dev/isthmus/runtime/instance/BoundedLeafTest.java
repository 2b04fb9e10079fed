package dev.isthmus.runtime.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which functions {@link BoundedLeaf} admits to critical downcalls. A critical downcall must never reach Java: an
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
              (func (export "rethrows") (try (do (throw $t)) (catch $t (rethrow 0)))))
            """;

    @Test
    void onlyFunctionsThatNeverReachJavaAreAdmitted() {
        WasmModule module = Wat.parse(WAT);
        List<String> admitted = new ArrayList<>();
        for (int f = 1; f <= module.codes().size(); f++) {
            if (BoundedLeaf.test(module, f, false)) admitted.add(module.exports().get(f - 1).name());
        }
        assertEquals(List.of("straight", "traps", "catchesNothingThrown"), admitted);
        assertEquals(false, BoundedLeaf.test(module, 1, true));              // fuel: the refill calls Java
        assertEquals(false, BoundedLeaf.test(module, 0, false));             // an import
    }
}
