package dev.isthmus.wasi;

import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Memory;
import dev.isthmus.model.ExternKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * WASI preview1 ({@value #MODULE}) for one program run, on Isthmus's public API:
 *
 * <pre>
 *   Wasi wasi = new Wasi(WasiOptions.builder().arg("prog").preopen(dir, "/").build());
 *   Instance instance = module.instantiate(wasi.addTo(Imports.builder()).build());
 *   int exitCode = wasi.run(instance);          // binds the "memory" export, calls _start
 * </pre>
 *
 * Descriptors: 0-2 the standard streams, 3.. the preopened directories in order. Everything a guest reaches goes
 * through a preopen and the sandbox's {@link PathResolver}. Not thread-safe: one program, one thread.
 */
public final class Wasi implements AutoCloseable {
    /** The import module name. */
    public static final String MODULE = "wasi_snapshot_preview1";

    private final WasiOptions options;
    private final FdTable fds = new FdTable();
    private Memory memory;
    private Set<String> functionNames = Set.of();

    public Wasi(WasiOptions options) throws IOException {
        this.options = options;
        fds.put(0, new StreamDescriptor(options.stdin(), null));
        fds.put(1, new StreamDescriptor(null, options.stdout()));
        fds.put(2, new StreamDescriptor(null, options.stderr()));
        for (WasiOptions.Preopen p : options.preopens()) {
            Path root;
            try {
                root = p.host().toRealPath();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException("cannot preopen " + p.host() + ": no such directory", e);
            }
            if (!Files.isDirectory(root)) throw new IOException("cannot preopen " + p.host() + ": not a directory");
            fds.add(new DirectoryDescriptor(new SandboxPath(root, List.of()), p.guestName(), Rights.DIRECTORY,
                    Rights.ALL));
        }
    }

    /** Adds every preview1 function to {@code imports} (later definitions of the same names replace them). */
    public Imports.Builder addTo(Imports.Builder imports) {
        WasiFunctions f = new WasiFunctions(imports, () -> memory);
        ArgsEnvCalls.register(f, options);
        ClockRandomCalls.register(f);
        ProcessCalls.register(f);
        FdCalls.register(f, fds);
        PathCalls.register(f, fds);
        PollCalls.register(f, fds);
        SocketCalls.register(f, fds);
        functionNames = f.names();
        return imports;
    }

    /** The names of the preview1 functions {@link #addTo} defines. */
    public Set<String> functionNames() {
        return functionNames;
    }

    /** Makes {@code instance}'s exported "memory" the memory WASI calls read and write. */
    public void bind(Instance instance) {
        if (instance.exportKinds().get("memory") == ExternKind.MEMORY) memory = instance.memory("memory");
    }

    /**
     * Binds {@code instance} and runs the command's {@code _start}; returns the exit code: the one given to
     * {@code proc_exit}, or 0 when {@code _start} returns. Traps propagate as
     * {@link dev.isthmus.WasmTrap}.
     */
    public int run(Instance instance) {
        return run(instance, "_start");
    }

    /** Like {@link #run(Instance)} for another export taking no arguments. */
    public int run(Instance instance, String export) {
        bind(instance);
        try {
            instance.call(export);
            return 0;
        } catch (WasiExit exit) {
            return exit.code();
        } finally {
            flush();
        }
    }

    private void flush() {
        try {
            options.stdout().flush();
            options.stderr().flush();
        } catch (IOException ignored) {
            // nothing to report to
        }
    }

    /** Closes every descriptor the program left open. */
    @Override
    public void close() {
        flush();
        fds.closeAll();
    }
}
