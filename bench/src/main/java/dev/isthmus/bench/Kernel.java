package dev.isthmus.bench;

import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.wasi.Wasi;
import dev.isthmus.wasi.WasiOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kernel of the suite in {@code bench/kernels/} (C written for Isthmus, see its README): its wasm module
 * ({@code bench/kernels/wasm/NAME.wasm}, committed), its native builds ({@code bench/kernels/build/gcc|clang/libNAME.so},
 * made by {@code bench/kernels/build.sh --native} at bench time), its work sizes ({@code kernels.tsv}) and the checksum
 * gcc -O3 native gives at each size ({@code expected.tsv}). Every side is called as {@code uint32_t run(int32_t n)}
 * (the wasm export "run"), adapted to {@code ()int} with the bench size bound.
 */
record Kernel(String name, int testSize, int benchSize, int processSize, Map<Integer, Integer> expected) {
    static final String DIR = "bench/kernels/";

    /** Every kernel of kernels.tsv, in its order. */
    static Map<String, Kernel> all() {
        Map<String, Map<Integer, Integer>> sums = new LinkedHashMap<>();
        for (String[] row : rows("expected.tsv")) {
            sums.computeIfAbsent(row[0], k -> new LinkedHashMap<>())
                    .put(Integer.parseInt(row[1]), Integer.parseUnsignedInt(row[2]));
        }
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        for (String[] row : rows("kernels.tsv")) {
            kernels.put(row[0], new Kernel(row[0], Integer.parseInt(row[1]), Integer.parseInt(row[2]),
                    Integer.parseInt(row[3]), sums.getOrDefault(row[0], Map.of())));
        }
        return kernels;
    }

    static Kernel of(String name) {
        Kernel k = all().get(name);
        if (k == null) throw new IllegalArgumentException("unknown kernel " + name + "; see " + DIR + "kernels.tsv");
        return k;
    }

    private static List<String[]> rows(String file) {
        String text = new String(BenchInputs.bytes(DIR + file), StandardCharsets.UTF_8);
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t")).toList();
    }

    String wasm() {
        return DIR + "wasm/" + name + ".wasm";
    }

    /** The native library's base name: a -bulk or -simd kernel is its base kernel natively. */
    String nativeName() {
        for (String suffix : new String[] {"-bulk", "-simd"}) {
            if (name.endsWith(suffix)) return name.substring(0, name.length() - suffix.length());
        }
        return name;
    }

    /**
     * {@code run} of the native build in {@code build/<compiler>} (gcc, clang, or gcc-v2, gcc-native, clang-v2,
     * clang-native: -march=x86-64-v2 / -march=native), as {@code ()int} at the bench size.
     */
    MethodHandle nativeHandle(String compiler) {
        String library = DIR + "build/" + compiler + "/lib" + nativeName() + ".so";
        SymbolLookup lookup = SymbolLookup.libraryLookup(BenchInputs.file(library), Arena.global());
        MethodHandle run = Linker.nativeLinker().downcallHandle(lookup.findOrThrow("run"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        return bind(run, benchSize);
    }

    /** {@code handle} of type {@code (int)int} with the work size bound, as {@code ()int}. */
    static MethodHandle bind(MethodHandle handle, int size) {
        return MethodHandles.insertArguments(handle, 0, size).asType(MethodType.methodType(int.class));
    }

    /** An instance of the kernel's module with WASI bound (its output discarded); close it after use. */
    Instance instantiate(Isthmus engine) {
        try {
            Wasi wasi = new Wasi(WasiOptions.builder().stdout(OutputStream.nullOutputStream())
                    .stderr(OutputStream.nullOutputStream()).build());
            Instance instance = engine.compile(BenchInputs.bytes(wasm())).instantiate(
                    wasi.addTo(Imports.builder()).build());
            wasi.bind(instance);
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks a result computed by {@code side} at {@code size}. */
    void check(String side, int size, int actual) {
        Integer want = expected.get(size);
        if (want == null) throw new IllegalStateException(name + ": no expected checksum for n = " + size);
        if (actual != want) {
            throw new IllegalStateException(name + "(" + size + ") should be " + Integer.toUnsignedString(want)
                    + ", " + side + " returned " + Integer.toUnsignedString(actual));
        }
    }
}
