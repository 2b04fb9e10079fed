package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;

import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * What exception handling costs (bench/exceptions/eh.wat): the path that does not throw, as the ratio of CPU time
 * of N calls each inside a try_table (or a legacy try) to the same N calls without one, in alternating slices
 * ({@link PairedCost#paired}); and a throw-and-catch round trip across 10 frames, per round trip.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.ExceptionCost \
 *       [pairs] [ms] [N]                  # defaults 20 pairs of 200 ms, N = 100000 calls (rounds: N / 10)
 *   ... ExceptionCost --write-wasm         # writes eh.wasm, eh-legacy.wasm for bench/v8/exceptions.mjs
 * </pre>
 */
public final class ExceptionCost {
    private ExceptionCost() {
    }

    private static final Path WAT = Path.of("bench/exceptions/eh.wat");

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("--write-wasm")) {
            for (String name : new String[] {"eh", "eh-legacy"}) {
                byte[] wasm = dev.isthmus.text.Wat.toBinary(Files.readString(Path.of("bench/exceptions/" + name
                        + ".wat")));
                Files.write(Path.of("bench/exceptions/" + name + ".wasm"), wasm);
                System.out.println("wrote bench/exceptions/" + name + ".wasm (" + wasm.length + " bytes)");
            }
            return;
        }
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long slice = (args.length > 1 ? Long.parseLong(args[1]) : 200) * 1_000_000L;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        byte[] wat = Files.readAllBytes(WAT);
        System.out.printf("%-11s %-26s %12s %12s %8s %8s %8s%n", "tier", "B vs A", "A ns/iter", "B ns/iter",
                "B/A", "p25", "p75");
        for (Tier tier : Tier.values()) {
            try (Instance instance = Isthmus.builder().tier(tier).build().compile(wat).instantiate()) {
                int expected = (int) instance.call("plain", n)[0];
                IntConsumer same = r -> {
                    if (r != expected) throw new AssertionError("checksum " + r + ", expected " + expected);
                };
                MethodHandle plain = Kernel.bind(instance.function("plain"), n);
                report(tier, "try_table vs plain", PairedCost.paired(plain, Kernel.bind(instance.function("try"), n),
                        same, same, pairs, slice), n);
                report(tier, "legacy try vs plain", PairedCost.paired(plain,
                        Kernel.bind(instance.function("legacy-try"), n), same, same, pairs, slice), n);
                int rounds = n / 10;
                long sum = (long) rounds * (rounds + 1) / 2;
                IntConsumer caught = r -> {
                    if (r != (int) sum) throw new AssertionError("sum " + r + ", expected " + (int) sum);
                };
                report(tier, "legacy throw10 vs throw10", PairedCost.paired(
                        Kernel.bind(instance.function("throw10"), rounds),
                        Kernel.bind(instance.function("legacy-throw10"), rounds), caught, caught, pairs, slice),
                        rounds);
            }
        }
    }

    private static void report(Tier tier, String what, PairedCost.Paired p, int n) {
        System.out.printf("%-11s %-26s %12.2f %12.2f %8.3f %8.3f %8.3f%n", tier.name().toLowerCase(), what,
                p.medianA() / n, p.medianB() / n, p.ratio(2), p.ratio(1), p.ratio(3));
    }
}
