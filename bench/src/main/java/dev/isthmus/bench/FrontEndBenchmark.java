package dev.isthmus.bench;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.WasmModule;
import dev.isthmus.validate.Validator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Decoding and validation throughput on a synthetic ~10 MB module (see {@link SyntheticModule}).
 * MB/s = module size / time per operation; the setup prints the exact size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class FrontEndBenchmark {
    @Param("10000000")
    int codeBytes;

    byte[] bytes;
    WasmModule decoded;

    @Setup
    public void setup() {
        bytes = SyntheticModule.generate(codeBytes, 1);
        decoded = ModuleDecoder.decode(bytes);
        Validator.validate(decoded);
        System.out.println("\nmodule size: " + bytes.length + " bytes, functions: " + decoded.functions().size());
    }

    @Benchmark
    public WasmModule decode() {
        return ModuleDecoder.decode(bytes);
    }

    @Benchmark
    public WasmModule decodeAndValidate() {
        WasmModule m = ModuleDecoder.decode(bytes);
        Validator.validate(m);
        return m;
    }

    @Benchmark
    public WasmModule validate() {
        Validator.validate(decoded);
        return decoded;
    }
}
