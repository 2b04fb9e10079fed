// Code-file load time vs compile time (docs/performance.md, "Code files"). Run with the jar on the class path:
//   java --enable-native-access=ALL-UNNAMED -cp target/isthmus.jar scripts/codefile-bench.java MODE FILE.wasm [TIER]
// MODE compile: one compile in this (fresh) JVM; serialize: the same, then serialize() (and writes FILE.ism);
// load: one deserialize of FILE.ism in this fresh JVM; decode: decode and validate times (fresh JVM, first call);
// warm: 15 rounds of compile, serialize and deserialize in one JVM, the medians of the last 10.
// Each prints milliseconds measured around the call alone (JVM start and the source launcher excluded).
import dev.isthmus.CompiledModule;
import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

class CodeFileBench {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path wasm = Path.of(args[1]);
        Path ism = Path.of(args[1].replaceAll("\\.wasm$", "") + ".ism");
        Tier tier = args.length > 2 ? Tier.valueOf(args[2].toUpperCase()) : Tier.OPTIMIZING;
        Isthmus engine = Isthmus.builder().tier(tier).build();
        byte[] bytes = Files.readAllBytes(wasm);
        switch (mode) {
            case "compile" -> {
                long t = System.nanoTime();
                engine.compile(bytes);
                System.out.printf("compile %.1f ms%n", (System.nanoTime() - t) / 1e6);
            }
            case "serialize" -> {
                CompiledModule m = engine.compile(bytes);
                long t = System.nanoTime();
                byte[] file = m.serialize();
                System.out.printf("serialize %.1f ms (%d bytes)%n", (System.nanoTime() - t) / 1e6, file.length);
                Files.write(ism, file);
            }
            case "load" -> {
                byte[] file = Files.readAllBytes(ism);
                long t = System.nanoTime();
                engine.deserialize(file);
                System.out.printf("load %.1f ms%n", (System.nanoTime() - t) / 1e6);
            }
            case "phases" -> {
                byte[] file = Files.readAllBytes(ism);
                long t = System.nanoTime();
                var cpu = dev.isthmus.compiler.ModuleCompiler.cpuFeatures(engine.compilerOptions());
                System.out.printf("cpu features %.1f ms%n", (System.nanoTime() - t) / 1e6);
                t = System.nanoTime();
                var crc = new java.util.zip.CRC32C();
                crc.update(file);
                System.out.printf("crc %.1f ms%n", (System.nanoTime() - t) / 1e6);
                t = System.nanoTime();
                var loaded = dev.isthmus.serialize.CodeFile.read(file, engine.compilerOptions(),
                        dev.isthmus.compiler.ModuleCompiler.cpuFeatures(engine.compilerOptions()));
                double read = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                engine.deserialize(file);
                System.out.printf("read (checks, decode, patch) %.1f ms, then a whole deserialize %.1f ms%n", read,
                        (System.nanoTime() - t) / 1e6);
            }
            case "decode" -> {
                long t = System.nanoTime();
                var module = dev.isthmus.binary.ModuleDecoder.decode(bytes);
                double decode = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                dev.isthmus.validate.Validator.validate(module);
                System.out.printf("decode %.1f ms, validate %.1f ms%n", decode, (System.nanoTime() - t) / 1e6);
            }
            case "warm" -> {
                int rounds = 15;
                double[] c = new double[rounds], s = new double[rounds], l = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    long t = System.nanoTime();
                    CompiledModule m = engine.compile(bytes);
                    c[i] = (System.nanoTime() - t) / 1e6;
                    t = System.nanoTime();
                    byte[] file = m.serialize();
                    s[i] = (System.nanoTime() - t) / 1e6;
                    t = System.nanoTime();
                    CompiledModule back = engine.deserialize(file);
                    l[i] = (System.nanoTime() - t) / 1e6;
                    m.close();
                    back.close();
                }
                System.out.printf("warm compile %.1f ms, serialize %.1f ms, load %.2f ms%n", median(c), median(s),
                        median(l));
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static double median(double[] all) {
        double[] last = Arrays.copyOfRange(all, 5, all.length);
        Arrays.sort(last);
        return last[last.length / 2];
    }
}
