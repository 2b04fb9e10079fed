package dev.isthmus.fuzz;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.Leb128;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Makes, from a valid module M, a valid module about twice as large in one dimension, for {@link ResourceCheck}: the
 * compiler's cost on the result should be about twice its cost on M. Three dimensions ({@link Doubling}):
 * <pre>
 *   BODIES     every function body B (instructions I, then the final end) becomes
 *                  block (result R) I end  drop × |R|  I end          R: the function's results
 *              the block's label takes the place of the function's own label, with the same types, so every
 *              branch depth in the first copy stays valid (a branch to the function's label, like return, leaves
 *              the block with the function's results); the second copy is the body as it was
 *   NESTING    the same statement  block (result R) I end drop × |R|  inserted in B right after the opening
 *              instruction of its first deepest construct (block, loop, if, try, try_table): the nesting depth and
 *              the code both double (at depth 0, at the start of B: then it is BODIES)
 *   FUNCTIONS  every defined function is added again, after all of them (same type and body; no index of the
 *              module changes): twice the functions, each as large as before
 * </pre>
 * The statement inserted takes and leaves nothing on the operand stack, so it is valid between any two instructions,
 * reachable or not; a non-nullable local is uninitialized again after the block, as it was at the function's start.
 * R with more than one value needs a type index: an existing {@code [] -> R} type or one appended to the type
 * section. Bytes outside the type, function and code sections are copied unchanged.
 */
final class ModuleDoubler {
    /** The dimension doubled. */
    enum Doubling { BODIES, NESTING, FUNCTIONS }

    private static final int TYPE_SECTION = 1, FUNCTION_SECTION = 3, CODE_SECTION = 10;

    private ModuleDoubler() {
    }

    /** {@code wasm} (a valid module) doubled in {@code dimension}. */
    static byte[] doubled(byte[] wasm, Doubling dimension) {
        WasmModule module = ModuleDecoder.decode(wasm);
        List<FuncType> types = module.types();
        int imported = module.importedFunctionCount();
        int defined = module.functions().size();
        // the block type of each body; a multi-value result without a type [] -> R gets one, appended
        ByteArrayOutputStream appendedTypes = new ByteArrayOutputStream();
        int appendedTypeCount = 0;
        byte[][] blockTypes = new byte[defined][];
        for (int i = 0; i < defined && dimension != Doubling.FUNCTIONS; i++) {
            List<ValType> results = module.functionType(imported + i).results();
            if (results.isEmpty()) {
                blockTypes[i] = new byte[] {0x40};
            } else if (results.size() == 1) {
                blockTypes[i] = valType(results.get(0));
            } else {
                int index = types.indexOf(FuncType.of(List.of(), results));
                if (index < 0) {
                    index = types.size();
                    appendedTypeCount++;
                    appendedTypes.write(0x60);
                    appendedTypes.write(0);
                    appendedTypes.writeBytes(Leb128.encodeUnsigned(results.size()));
                    for (ValType r : results) appendedTypes.writeBytes(valType(r));
                    // later functions with the same results use the type appended now
                    types = new java.util.ArrayList<>(types);
                    types.add(FuncType.of(List.of(), results));
                }
                blockTypes[i] = Leb128.encodeSigned(index);
            }
        }
        ByteReader in = new ByteReader(wasm);
        ByteArrayOutputStream out = new ByteArrayOutputStream(wasm.length * 2 + 64);
        out.writeBytes(in.bytes(8));
        while (!in.atEnd()) {
            int id = in.u8();
            int size = in.u32AsInt();
            int start = in.position();
            byte[] payload = java.util.Arrays.copyOfRange(wasm, start, start + size);
            in.skip(size);
            byte[] replaced = switch (id) {
                case TYPE_SECTION -> appendedTypeCount == 0 ? payload
                        : appendEntries(payload, appendedTypeCount, appendedTypes.toByteArray());
                case FUNCTION_SECTION -> dimension == Doubling.FUNCTIONS ? doubleEntries(payload) : payload;
                case CODE_SECTION -> code(wasm, start, size, module, blockTypes, dimension);
                default -> payload;
            };
            out.write(id);
            out.writeBytes(Leb128.encodeUnsigned(replaced.length));
            out.writeBytes(replaced);
        }
        return out.toByteArray();
    }

    /** The binary encoding of a value type: its byte, and the heap type after 0x63/0x64. */
    private static byte[] valType(ValType type) {
        if (type.hasShortCode()) return new byte[] {(byte) type.code()};
        byte[] heap = Leb128.encodeSigned(type.heapType());
        byte[] bytes = new byte[1 + heap.length];
        bytes[0] = (byte) type.code();
        System.arraycopy(heap, 0, bytes, 1, heap.length);
        return bytes;
    }

    /** A vector section's payload with {@code count} more entries ({@code entries}) at its end. */
    private static byte[] appendEntries(byte[] payload, int count, byte[] entries) {
        ByteReader r = new ByteReader(payload);
        long n = r.u32();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Leb128.encodeUnsigned(n + count));
        out.write(payload, r.position(), payload.length - r.position());
        out.writeBytes(entries);
        return out.toByteArray();
    }

    /** A vector section's payload with its entries written twice. */
    private static byte[] doubleEntries(byte[] payload) {
        ByteReader r = new ByteReader(payload);
        long n = r.u32();
        byte[] entries = java.util.Arrays.copyOfRange(payload, r.position(), payload.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Leb128.encodeUnsigned(2 * n));
        out.writeBytes(entries);
        out.writeBytes(entries);
        return out.toByteArray();
    }

    private static byte[] code(byte[] wasm, int start, int size, WasmModule module, byte[][] blockTypes,
                               Doubling dimension) {
        if (dimension == Doubling.FUNCTIONS) {
            return doubleEntries(java.util.Arrays.copyOfRange(wasm, start, start + size));
        }
        ByteReader r = new ByteReader(wasm, start, start + size, 0, "unexpected end of the code section");
        int n = r.u32AsInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Leb128.encodeUnsigned(n));
        for (int i = 0; i < n; i++) {
            int bodySize = r.u32AsInt();
            int bodyStart = r.position();
            int bodyEnd = bodyStart + bodySize;
            r.skip(bodySize);
            FunctionBody body = module.codes().get(i);
            int codeStart = body.codeOffset();
            if (codeStart <= bodyStart || codeStart >= bodyEnd || wasm[bodyEnd - 1] != 0x0B) {
                throw new IllegalStateException("body " + i + ": code at " + codeStart + " is not inside ["
                        + bodyStart + ", " + bodyEnd + ") or does not end with end");
            }
            int results = module.functionType(module.importedFunctionCount() + i).results().size();
            ByteArrayOutputStream statement = new ByteArrayOutputStream();   // block R I end, drop × |R|
            statement.write(0x02);
            statement.writeBytes(blockTypes[i]);
            statement.write(wasm, codeStart, bodyEnd - codeStart);
            for (int k = 0; k < results; k++) statement.write(0x1A);
            int insertAt = dimension == Doubling.BODIES ? codeStart : deepestOpening(wasm, codeStart, bodyEnd);
            ByteArrayOutputStream newBody = new ByteArrayOutputStream();
            newBody.write(wasm, bodyStart, insertAt - bodyStart);             // locals, code before the point
            newBody.writeBytes(statement.toByteArray());
            newBody.write(wasm, insertAt, bodyEnd - insertAt);               // the rest, with the final end
            out.writeBytes(Leb128.encodeUnsigned(newBody.size()));
            out.writeBytes(newBody.toByteArray());
        }
        return out.toByteArray();
    }

    /**
     * The offset just after the opening instruction (with its immediates) of the first construct at the greatest
     * nesting depth of the code in {@code [from, to)}; {@code from} when the code opens none.
     */
    static int deepestOpening(byte[] wasm, int from, int to) {
        InstructionReader r = new InstructionReader(new ByteReader(wasm, from, to, 0, "unexpected end"));
        int depth = 0, deepest = 0, at = from;
        while (!r.atEnd()) {
            switch (r.next()) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> {
                    depth++;
                    if (depth > deepest) {
                        deepest = depth;
                        at = r.bytes().position();
                    }
                }
                case END, DELEGATE -> depth--;
                default -> { }
            }
        }
        return at;
    }
}
