package dev.isthmus.compiler.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TailCallEffects#onDemand} answers as {@link TailCallEffects#of} does, for random graphs of direct tail
 * calls (cycles, chains, functions irregular by themselves through return_call_indirect or a tail call of an
 * import), asked in random orders.
 */
class TailCallEffectsOnDemandTest {
    @Test
    void onDemandAnswersAsTheWholeModuleAnalysis() {
        Random random = new Random(15);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(40);
            StringBuilder wat = new StringBuilder("(module (type $t (func (param i32) (result i32)))"
                    + " (import \"m\" \"f\" (func $imp (type $t))) (table 1 funcref)\n");
            for (int i = 0; i < n; i++) {
                wat.append("(func $f").append(i).append(" (type $t)");
                int edges = random.nextInt(3);
                for (int e = 0; e < edges; e++) {
                    wat.append(" (if (i32.eq (local.get 0) (i32.const ").append(e).append("))")
                            .append(" (then (return_call $f").append(random.nextInt(n)).append(" (local.get 0))))");
                }
                int kind = random.nextInt(12);
                if (kind == 0) wat.append(" (return_call_indirect (type $t) (local.get 0) (i32.const 0)))\n");
                else if (kind == 1) wat.append(" (return_call $imp (local.get 0)))\n");
                else wat.append(" (local.get 0))\n");
            }
            WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat.append(")").toString()));
            TailCallEffects whole = TailCallEffects.of(module);
            TailCallEffects onDemand = TailCallEffects.onDemand(module);
            int[] order = random.ints(0, n + 1).limit(2L * n + 1).toArray();
            for (int f : order) {
                assertEquals(whole.irregularExit(f), onDemand.irregularExit(f), "round " + round + " function " + f
                        + "\n" + wat);
            }
            for (int f = 0; f <= n; f++) assertEquals(whole.irregularExit(f), onDemand.irregularExit(f));
        }
    }
}
