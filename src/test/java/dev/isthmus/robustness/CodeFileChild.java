package dev.isthmus.robustness;

import dev.isthmus.CodeFileRejectedException;
import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmTrap;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.TypeIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * The child JVM of {@link CodeFileChildTest}: {@code write FILE SHIFT} compiles {@link #MODULE} and writes it as a
 * code file; {@code load FILE SHIFT} loads one and calls it; {@code mutate FILE SEED COUNT} loads damaged copies
 * whose checksum was recomputed. {@code SHIFT}: how many other function types this process registers first, so
 * that the module's canonical type ids differ from the writer's.
 */
public final class CodeFileChild {
    private CodeFileChild() {
    }

    /** Indirect calls of two types (type-id sites in call_indirect and return_call_indirect). */
    static final String MODULE = """
            (module
              (type $t (func (param i64 f32 i64 f64 i32 f32 f32) (result f64)))
              (type $u (func (param i32) (result i32)))
              (table 3 funcref)
              (elem (i32.const 0) $f $g $h)
              (func $f (type $t) (f64.add (f64.convert_i64_s (local.get 0)) (local.get 3)))
              (func $g (type $u) (i32.mul (local.get 0) (i32.const 3)))
              (func $h (type $u) (return_call_indirect (type $u) (i32.add (local.get 0) (i32.const 1)) (i32.const 1)))
              (func (export "good") (param i32) (result i32)
                (i32.add (i32.trunc_f64_s (call_indirect (type $t) (i64.const 40) (f32.const 0) (i64.const 0)
                           (f64.const 2) (i32.const 0) (f32.const 0) (f32.const 0) (i32.const 0)))
                         (call_indirect (type $u) (local.get 0) (i32.const 2))))
              (func (export "bad") (result i32) (call_indirect (type $u) (i32.const 1) (i32.const 0))))
            """;

    static void registerOtherTypes(int count) {
        for (int k = 0; k < count; k++) {
            TypeIds.of(new FuncType(Collections.nCopies(k + 1, ValType.I32), List.of(ValType.F64, ValType.I64)));
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "write" -> {
                registerOtherTypes(Integer.parseInt(args[2]));
                Isthmus.create().compile(MODULE.getBytes(StandardCharsets.UTF_8)).serialize(file);
                System.out.println("written");
            }
            case "load" -> {
                registerOtherTypes(Integer.parseInt(args[2]));
                CompiledModule module;
                try {
                    module = Isthmus.create().deserialize(file);
                } catch (CodeFileRejectedException e) {
                    System.out.println("refused " + e.kind() + ": " + e.getMessage());
                    return;
                }
                Instance instance = module.instantiate();
                System.out.println("good " + instance.call("good", 5)[0]);
                try {
                    instance.call("bad");
                    System.out.println("bad returned");
                } catch (WasmTrap trap) {
                    System.out.println("bad trap " + trap.getMessage());
                }
            }
            case "mutate" -> mutate(Files.readAllBytes(file), Long.parseLong(args[2]), Integer.parseInt(args[3]));
            case "truncate" -> truncate(Files.readAllBytes(file));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /**
     * Loads {@code count} damaged copies of {@code file} whose length field and checksum are made right again, so
     * that every structural check is reached: random bytes changed outside the machine code, or the file cut short
     * anywhere after the header. Each must load or be refused with {@link CodeFileRejectedException}; nothing runs.
     */
    private static void mutate(byte[] file, long seed, int count) {
        int[] code = codeSection(file);
        Random random = new Random(seed);
        int refused = 0;
        int loaded = 0;
        Isthmus engine = Isthmus.create();
        for (int i = 0; i < count; i++) {
            byte[] bad;
            if (random.nextInt(4) == 0) {
                bad = Arrays.copyOf(file, 24 + random.nextInt(file.length - 24));
            } else {
                bad = file.clone();
                int changes = 1 + random.nextInt(3);
                for (int c = 0; c < changes; c++) {
                    int at;
                    do {
                        at = 24 + random.nextInt(file.length - 24);
                    } while (at >= code[0] && at < code[1]);
                    bad[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : (byte) (bad[at] ^ 1 << random.nextInt(8));
                }
            }
            fixHeader(bad);
            try {
                engine.deserialize(bad).close();
                loaded++;
            } catch (CodeFileRejectedException e) {
                refused++;
                if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("no message", e);
            }
        }
        System.out.println("mutants refused " + refused + " loaded " + loaded);
    }

    /**
     * Loads the file cut at every length from the header on, each with its length field and checksum made right:
     * every cut must be refused as CORRUPT (a section runs past the end, or one is missing).
     */
    private static void truncate(byte[] file) {
        Isthmus engine = Isthmus.create();
        int refused = 0;
        for (int length = 24; length < file.length; length++) {
            byte[] cut = Arrays.copyOf(file, length);
            fixHeader(cut);
            try {
                engine.deserialize(cut).close();
                System.out.println("loaded a file cut to " + length + " bytes");
            } catch (CodeFileRejectedException e) {
                if (e.kind() != CodeFileRejectedException.Kind.CORRUPT) {
                    System.out.println("cut to " + length + ": " + e.kind() + ": " + e.getMessage());
                } else {
                    refused++;
                }
            }
        }
        System.out.println("cuts refused " + refused + " of " + (file.length - 24));
    }

    /** [start, end) of the CODE section's payload: sections follow the 24-byte header as tag, length, payload. */
    static int[] codeSection(byte[] file) {
        int at = 24;
        while (true) {
            String tag = new String(file, at, 4, StandardCharsets.US_ASCII);
            int length = le32(file, at + 4);
            if (tag.equals("CODE")) return new int[] {at + 8, at + 8 + length};
            at += 8 + length;
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    static void fixHeader(byte[] file) {
        long length = file.length;
        for (int i = 0; i < 8; i++) file[16 + i] = (byte) (length >>> (8 * i));
        CRC32C crc = new CRC32C();
        crc.update(file, 0, 12);
        crc.update(file, 16, file.length - 16);
        int v = (int) crc.getValue();
        for (int i = 0; i < 4; i++) file[12 + i] = (byte) (v >>> (8 * i));
    }
}
