package dev.isthmus.wasi;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A wasm module that imports every preview1 function and re-exports it unchanged, plus a memory: tests call WASI
 * exactly as a guest would (through wasm frames and guest pointers), with strings and structs placed in memory by
 * a bump allocator starting at {@value #HEAP}.
 */
final class WasiHarness implements AutoCloseable {
    static final int HEAP = 1024;

    /** Every preview1 function and its parameters ('i' = i32, 'I' = i64); all but proc_exit return an errno. */
    static final Map<String, String> FUNCTIONS = new LinkedHashMap<>();

    static {
        String[] table = {"args_sizes_get ii", "args_get ii", "environ_sizes_get ii", "environ_get ii",
            "clock_res_get ii", "clock_time_get iIi", "random_get ii", "proc_exit i", "proc_raise i", "sched_yield -",
            "fd_advise iIIi", "fd_allocate iII", "fd_close i", "fd_datasync i", "fd_sync i", "fd_fdstat_get ii",
            "fd_fdstat_set_flags ii", "fd_fdstat_set_rights iII", "fd_filestat_get ii", "fd_filestat_set_size iI",
            "fd_filestat_set_times iIIi", "fd_pread iiiIi", "fd_pwrite iiiIi", "fd_read iiii", "fd_write iiii",
            "fd_readdir iiiIi", "fd_renumber ii", "fd_seek iIii", "fd_tell ii", "fd_prestat_get ii",
            "fd_prestat_dir_name iii", "path_create_directory iii", "path_filestat_get iiiii",
            "path_filestat_set_times iiiiIIi", "path_link iiiiiii", "path_open iiiiiIIii", "path_readlink iiiiii",
            "path_remove_directory iii", "path_rename iiiiii", "path_symlink iiiii", "path_unlink_file iii",
            "poll_oneoff iiii", "sock_accept iii", "sock_recv iiiiii", "sock_send iiiii", "sock_shutdown ii"};
        for (String entry : table) {
            String[] parts = entry.split(" ");
            FUNCTIONS.put(parts[0], parts[1].equals("-") ? "" : parts[1]);
        }
    }

    final Wasi wasi;
    final Instance instance;
    final Memory memory;
    private final CompiledModule module;
    private int next = HEAP;

    WasiHarness(WasiOptions options) throws IOException {
        StringBuilder wat = new StringBuilder("(module\n");
        for (Map.Entry<String, String> f : FUNCTIONS.entrySet()) {
            wat.append("  (import \"wasi_snapshot_preview1\" \"").append(f.getKey()).append("\" (func $")
                    .append(f.getKey());
            if (!f.getValue().isEmpty()) {
                wat.append(" (param");
                for (char c : f.getValue().toCharArray()) wat.append(c == 'I' ? " i64" : " i32");
                wat.append(')');
            }
            if (!f.getKey().equals("proc_exit")) wat.append(" (result i32)");
            wat.append("))\n");
        }
        wat.append("  (memory (export \"memory\") 2)\n");
        for (String name : FUNCTIONS.keySet()) {
            wat.append("  (export \"").append(name).append("\" (func $").append(name).append("))\n");
        }
        wat.append(")\n");
        module = Isthmus.create().compile(wat.toString().getBytes(StandardCharsets.UTF_8));
        wasi = new Wasi(options);
        instance = module.instantiate(wasi.addTo(Imports.builder()).build());
        wasi.bind(instance);
        memory = instance.memory("memory");
    }

    /** Calls {@code name} (ints for i32, longs for i64) and returns its errno. */
    int call(String name, Object... args) {
        Object[] results = instance.call(name, args);
        return (Integer) results[0];
    }

    /** Allocates {@code size} bytes (8-aligned) of zeroed guest memory. */
    int alloc(int size) {
        int at = next;
        next += (size + 7) & ~7;
        memory.write(at, new byte[size]);
        return at;
    }

    /** Writes a UTF-8 string into guest memory; returns its address ({@link #length} gives its byte length). */
    int string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int at = alloc(Math.max(bytes.length, 1));
        memory.write(at, bytes);
        return at;
    }

    static int length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    int i32(int address) {
        return ByteBuffer.wrap(memory.read(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    long i64(int address) {
        return ByteBuffer.wrap(memory.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    int u8(int address) {
        return memory.read(address, 1)[0] & 0xFF;
    }

    void setI32(int address, int value) {
        memory.write(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    void setI64(int address, long value) {
        memory.write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    String text(int address, int length) {
        return new String(memory.read(address, length), StandardCharsets.UTF_8);
    }

    /** path_open relative to {@code dirFd}; returns the new fd, or -errno. */
    int open(int dirFd, int lookupFlags, String path, int oflags, long rightsBase, int fdflags) {
        int result = alloc(4);
        int errno = call("path_open", dirFd, lookupFlags, string(path), length(path), oflags, rightsBase, Rights.ALL,
                fdflags, result);
        return errno == 0 ? i32(result) : -errno;
    }

    /** Writes {@code data} to {@code fd} with one ciovec; returns the errno. */
    int write(int fd, byte[] data) {
        int buf = alloc(data.length);
        memory.write(buf, data);
        int iov = alloc(8);
        setI32(iov, buf);
        setI32(iov + 4, data.length);
        return call("fd_write", fd, iov, 1, alloc(4));
    }

    /** Reads up to {@code max} bytes from {@code fd}. */
    String read(int fd, int max) {
        int buf = alloc(max);
        int iov = alloc(8);
        setI32(iov, buf);
        setI32(iov + 4, max);
        int n = alloc(4);
        int errno = call("fd_read", fd, iov, 1, n);
        if (errno != 0) throw new AssertionError("fd_read errno " + errno);
        return text(buf, i32(n));
    }

    @Override
    public void close() {
        wasi.close();
        instance.close();
        module.close();
    }
}
