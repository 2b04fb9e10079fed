package dev.isthmus.bench;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.Leb128;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Builds a large, valid module with a compiler-like instruction mix (locals, arithmetic, loads and stores, loops
 * with br_if, if/else with results, calls, i64 and f64 math), for front-end and compiler throughput benchmarks.
 * Deterministic for a given seed.
 */
public final class SyntheticModule {
    private SyntheticModule() {}

    /** A module whose code section holds about {@code targetCodeBytes} bytes. */
    public static byte[] generate(int targetCodeBytes, long seed) {
        Random rnd = new Random(seed);
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        int functions = 0;
        ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        while (bodies.size() < targetCodeBytes) {
            byte[] body = function(rnd, functions);
            writeU32(bodies, body.length);
            bodies.writeBytes(body);
            functions++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        // type 0: (i32 i32) -> i32
        section(out, 1, new byte[] {1, 0x60, 2, 0x7F, 0x7F, 1, 0x7F});
        ByteArrayOutputStream funcs = new ByteArrayOutputStream();
        writeU32(funcs, functions);
        for (int i = 0; i < functions; i++) funcs.write(0);
        section(out, 3, funcs.toByteArray());
        section(out, 5, new byte[] {1, 0, 1});                  // memory 1 page
        writeU32(code, functions);
        code.writeBytes(bodies.toByteArray());
        section(out, 10, code.toByteArray());
        return out.toByteArray();
    }

    // locals: 0,1 params (i32); 2..5 i32; 6 i64; 7 f64
    private static byte[] function(Random rnd, int index) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {3, 4, 0x7F, 1, 0x7E, 1, 0x7C});
        int statements = 20 + rnd.nextInt(60);
        for (int s = 0; s < statements; s++) statement(b, rnd, index, 0);
        op(b, Opcode.LOCAL_GET); writeU32(b, 2 + rnd.nextInt(4));
        op(b, Opcode.END);
        return b.toByteArray();
    }

    private static void statement(ByteArrayOutputStream b, Random rnd, int index, int depth) {
        int i32a = rnd.nextInt(6);
        int i32b = rnd.nextInt(6);
        int dst = 2 + rnd.nextInt(4);
        switch (rnd.nextInt(depth < 2 ? 8 : 6)) {
            case 0 -> {   // dst = a op b
                get(b, i32a); get(b, i32b);
                op(b, new Opcode[] {Opcode.I32_ADD, Opcode.I32_SUB, Opcode.I32_MUL, Opcode.I32_AND, Opcode.I32_XOR,
                        Opcode.I32_SHL, Opcode.I32_ROTL}[rnd.nextInt(7)]);
                set(b, dst);
            }
            case 1 -> {   // dst = load(a + off)
                get(b, i32a);
                op(b, Opcode.I32_LOAD); writeU32(b, 2); writeU32(b, rnd.nextInt(4096));
                set(b, dst);
            }
            case 2 -> {   // store(a + off, b)
                get(b, i32a); get(b, i32b);
                op(b, Opcode.I32_STORE); writeU32(b, 2); writeU32(b, rnd.nextInt(4096));
            }
            case 3 -> {   // i64 and f64 arithmetic
                op(b, Opcode.LOCAL_GET); writeU32(b, 6);
                op(b, Opcode.I64_CONST); b.writeBytes(Leb128.encodeSigned(rnd.nextLong() >> rnd.nextInt(60)));
                op(b, Opcode.I64_ADD);
                op(b, Opcode.LOCAL_SET); writeU32(b, 6);
                op(b, Opcode.LOCAL_GET); writeU32(b, 7);
                op(b, Opcode.LOCAL_GET); writeU32(b, 7);
                op(b, Opcode.F64_MUL);
                op(b, Opcode.LOCAL_SET); writeU32(b, 7);
            }
            case 4 -> {   // dst = call f(a, b) to an earlier function (or itself)
                get(b, i32a); get(b, i32b);
                op(b, Opcode.CALL); writeU32(b, index == 0 ? 0 : rnd.nextInt(index));
                set(b, dst);
            }
            case 5 -> {   // dst = a < b ? a : b via if/else with a result
                get(b, i32a); get(b, i32b);
                op(b, Opcode.I32_LT_S);
                op(b, Opcode.IF); b.write(0x7F);
                get(b, i32a);
                op(b, Opcode.ELSE);
                get(b, i32b);
                op(b, Opcode.END);
                set(b, dst);
            }
            default -> {  // block { loop { body; dst = dst - k; br_if dst != 0 } }
                op(b, Opcode.BLOCK); b.write(0x40);
                op(b, Opcode.LOOP); b.write(0x40);
                int inner = 1 + rnd.nextInt(4);
                for (int i = 0; i < inner; i++) statement(b, rnd, index, depth + 1);
                get(b, dst);
                op(b, Opcode.I32_CONST); b.writeBytes(Leb128.encodeSigned(1 + rnd.nextInt(100)));
                op(b, Opcode.I32_SUB);
                op(b, Opcode.LOCAL_TEE); writeU32(b, dst);
                op(b, Opcode.BR_IF); writeU32(b, 0);
                op(b, Opcode.END);
                op(b, Opcode.END);
            }
        }
    }

    private static void get(ByteArrayOutputStream b, int local) {
        op(b, Opcode.LOCAL_GET);
        writeU32(b, local);
    }

    private static void set(ByteArrayOutputStream b, int local) {
        op(b, Opcode.LOCAL_SET);
        writeU32(b, local);
    }

    private static void op(ByteArrayOutputStream b, Opcode op) {
        if (op.prefix() != 0) {
            b.write(op.prefix());
            writeU32(b, op.code());
        } else {
            b.write(op.code());
        }
    }

    private static void section(ByteArrayOutputStream out, int id, byte[] payload) {
        out.write(id);
        writeU32(out, payload.length);
        out.writeBytes(payload);
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.writeBytes(Leb128.encodeUnsigned(v));
    }
}
