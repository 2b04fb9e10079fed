package dev.isthmus.validate;

import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.DataSegment;
import dev.isthmus.model.ElementSegment;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.Global;
import dev.isthmus.model.GlobalType;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.Limits;
import dev.isthmus.model.MemoryType;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds {@link WasmModule}s for validator tests without going through the decoder. Signatures are written
 * {@code "i32 i64 -> f32"}, bodies and constant expressions in {@link Asm} syntax (the final {@code end} is added).
 */
final class TestModule {
    /** Where {@link #func} bodies pretend to start in the binary, so error offsets can be checked. */
    static final int CODE_BASE = 0x100;

    private final List<FuncType> types = new ArrayList<>();
    private final List<Import> imports = new ArrayList<>();
    private final List<Integer> functions = new ArrayList<>();
    private final List<TableType> tables = new ArrayList<>();
    private final List<MemoryType> memories = new ArrayList<>();
    private final List<Global> globals = new ArrayList<>();
    private final List<Export> exports = new ArrayList<>();
    private final List<ElementSegment> elements = new ArrayList<>();
    private final List<FunctionBody> codes = new ArrayList<>();
    private final List<DataSegment> data = new ArrayList<>();
    private final List<Integer> tags = new ArrayList<>();
    private int start = WasmModule.NO_START;
    private int dataCount = WasmModule.NO_DATA_COUNT;

    /** Adds (or reuses) the type {@code signature}; returns its index. */
    int type(String signature) {
        Signature s = Signature.parse(signature);
        FuncType t = new FuncType(Arrays.asList(s.params()), Arrays.asList(s.results()));
        int existing = types.indexOf(t);
        if (existing >= 0) return existing;
        types.add(t);
        return types.size() - 1;
    }

    /** Adds a type even if an equal one exists; returns its index. */
    int newType(String signature) {
        Signature s = Signature.parse(signature);
        types.add(new FuncType(Arrays.asList(s.params()), Arrays.asList(s.results())));
        return types.size() - 1;
    }

    TestModule func(String signature, String body) {
        return func(signature, "", body);
    }

    /** A defined function; {@code locals} lists the declared local types, e.g. {@code "i32 i32 f64"}. */
    TestModule func(String signature, String locals, String body) {
        return funcWithTypeIndex(type(signature), locals, body);
    }

    TestModule funcWithTypeIndex(int typeIndex, String locals, String body) {
        functions.add(typeIndex);
        String[] words = locals.isBlank() ? new String[0] : locals.trim().split("\\s+");
        int[] counts = new int[words.length];
        ValType[] localTypes = new ValType[words.length];
        for (int i = 0; i < words.length; i++) {
            counts[i] = 1;
            localTypes[i] = Asm.valType(words[i]);
        }
        codes.add(new FunctionBody(counts, localTypes, withEnd(Asm.code(body)), CODE_BASE));
        return this;
    }

    /** A defined function with raw body bytes (must include the final end) and run-length locals. */
    TestModule funcRaw(int typeIndex, int[] localCounts, ValType[] localTypes, byte[] code) {
        functions.add(typeIndex);
        codes.add(new FunctionBody(localCounts, localTypes, code, CODE_BASE));
        return this;
    }

    TestModule importFunc(String signature) {
        imports.add(new Import("env", "f" + imports.size(), new ImportDesc.Func(type(signature))));
        return this;
    }

    TestModule importFuncWithTypeIndex(int typeIndex) {
        imports.add(new Import("env", "f" + imports.size(), new ImportDesc.Func(typeIndex)));
        return this;
    }

    TestModule importGlobal(String type, boolean mutable) {
        imports.add(new Import("env", "g" + imports.size(),
                new ImportDesc.Global(new GlobalType(Asm.valType(type), mutable))));
        return this;
    }

    TestModule importMemory(long min, long max) {
        imports.add(new Import("env", "m" + imports.size(), new ImportDesc.Memory(new MemoryType(new Limits(min, max)))));
        return this;
    }

    TestModule importTable(String elementType, long min, long max) {
        imports.add(new Import("env", "t" + imports.size(),
                new ImportDesc.Table(new TableType(Asm.valType(elementType), new Limits(min, max)))));
        return this;
    }

    TestModule memory(long min, long max) {
        memories.add(new MemoryType(new Limits(min, max)));
        return this;
    }

    TestModule memory() {
        return memory(1, Limits.NO_MAX);
    }

    TestModule table(String elementType, long min, long max) {
        tables.add(new TableType(Asm.valType(elementType), new Limits(min, max)));
        return this;
    }

    TestModule table(String elementType) {
        return table(elementType, 1, Limits.NO_MAX);
    }

    TestModule global(String type, boolean mutable, String init) {
        globals.add(new Global(new GlobalType(Asm.valType(type), mutable), expr(init)));
        return this;
    }

    TestModule export(String name, ExternKind kind, int index) {
        exports.add(new Export(name, kind, index));
        return this;
    }

    TestModule start(int function) {
        start = function;
        return this;
    }

    /** An active element segment of {@code type} items into {@code table} at {@code offset}. */
    TestModule activeElem(String type, int table, String offset, String... items) {
        elements.add(new ElementSegment(Asm.valType(type), SegmentMode.ACTIVE, table, expr(offset), exprs(items)));
        return this;
    }

    TestModule elem(String type, SegmentMode mode, String... items) {
        elements.add(new ElementSegment(Asm.valType(type), mode, 0, null, exprs(items)));
        return this;
    }

    TestModule activeData(int memory, String offset) {
        data.add(new DataSegment(SegmentMode.ACTIVE, memory, expr(offset), new byte[] {1, 2}));
        return this;
    }

    TestModule passiveData() {
        data.add(new DataSegment(SegmentMode.PASSIVE, 0, null, new byte[] {1}));
        return this;
    }

    TestModule dataCount(int count) {
        dataCount = count;
        return this;
    }

    /** Adds an exception tag of type {@code typeIndex}. */
    TestModule tag(int typeIndex) {
        tags.add(typeIndex);
        return this;
    }

    WasmModule build() {
        return new WasmModule(types, imports, functions, tables, memories, globals, exports, start, elements,
                dataCount, codes, data, List.of(), null, tags);
    }

    static ConstExpr expr(String text) {
        return new ConstExpr(withEnd(Asm.code(text)), 0x40);
    }

    private static List<ConstExpr> exprs(String... items) {
        List<ConstExpr> out = new ArrayList<>();
        for (String item : items) out.add(expr(item));
        return out;
    }

    private static byte[] withEnd(byte[] code) {
        byte[] out = Arrays.copyOf(code, code.length + 1);
        out[code.length] = 0x0B;
        return out;
    }
}
