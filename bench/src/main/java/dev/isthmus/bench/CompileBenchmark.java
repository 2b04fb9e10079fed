package dev.isthmus.bench;

import dev.isthmus.CompiledModule;
import dev.isthmus.Isthmus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Compile throughput: {@code engine.compile(bytes)} (decode, validate, generate and load machine code) of
 * {@code examples/compile-bench/big.wasm}, 800 varied functions compiled from generated C by clang-14 -O2.
 * The setup prints the code-section size; MB/s = code-section bytes / time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CompileBenchmark {
    private final Isthmus engine = Isthmus.create();
    private byte[] bytes;

    @Setup
    public void load() {
        bytes = BenchInputs.bytes("examples/compile-bench/big.wasm");
        System.out.println("\nbig.wasm: " + bytes.length + " bytes, code section: " + codeSectionSize(bytes)
                + " bytes");
    }

    @Benchmark
    public CompiledModule compile() {
        return engine.compile(bytes);
    }

    /** The payload size of the code section (id 10) of a binary module. */
    static long codeSectionSize(byte[] module) {
        int[] position = {8};
        while (position[0] < module.length) {
            int id = module[position[0]++] & 0xFF;
            long size = unsignedLeb(module, position);
            if (id == 10) {
                return size;
            }
            position[0] += (int) size;
        }
        throw new IllegalArgumentException("no code section");
    }

    private static long unsignedLeb(byte[] bytes, int[] position) {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = bytes[position[0]++] & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return result;
    }
}
