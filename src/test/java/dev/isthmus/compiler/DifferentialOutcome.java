package dev.isthmus.compiler;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;

import java.util.zip.CRC32;

/**
 * What the loop differential tests compare between the tiers after a call: its result (or trap kind), the globals
 * named, a CRC of memory "m" and the fuel left (when fuel is on).
 */
final class DifferentialOutcome {
    private DifferentialOutcome() {
    }

    /** An engine of {@code tier} with fuel on and {@code budget} units in each new instance. */
    static Isthmus fuelEngine(Tier tier, long budget) {
        return Isthmus.builder().compilerOptions(CompilerOptions.DEFAULT.withTier(tier)).consumeFuel(true)
                .initialFuel(budget).build();
    }

    /** Calls {@code export} with {@code args} and describes what it left: "= 42, g 7, crc 1a2b, fuel 3". */
    static String of(Instance instance, String export, Object[] args, String... globals) {
        String outcome;
        try {
            outcome = "= " + ((Number) instance.call(export, args)[0]).longValue();
        } catch (WasmTrap trap) {
            outcome = "trap " + trap.kind();
        }
        StringBuilder s = new StringBuilder(outcome);
        for (String g : globals) s.append(", ").append(g).append(' ').append(instance.global(g).get());
        Memory m = instance.memory("m");
        CRC32 crc = new CRC32();
        crc.update(m.read(0, (int) m.byteSize()));
        s.append(", crc ").append(Long.toHexString(crc.getValue()));
        try {
            s.append(", fuel ").append(instance.fuel());
        } catch (RuntimeException noFuel) {
            // fuel off
        }
        return s.toString();
    }
}
