package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.DataSegment;
import dev.isthmus.model.ElementSegment;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.MemoryMapping;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.TableLayout;
import dev.isthmus.runtime.abi.TypeIds;
import dev.isthmus.runtime.abi.ValueBuffer;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.runtime.stack.WasmCall;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.validate.Validator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A minimal instance for testing the compiler without the runtime: modules without imports and without builtin
 * calls (memory.grow, bulk memory and table operations), memory in a guard-page reservation registered as a fault
 * region, tables and globals in an arena, calls through the entry adapters.
 */
public final class TestInstance implements AutoCloseable {
    /** Reservation of a 32-bit memory: every index + offset + access size lands inside. */
    static final long RESERVATION = (8L << 30) + (1 << 16);

    private static final Set<Opcode> BUILTIN_OPS = EnumSet.of(Opcode.MEMORY_GROW, Opcode.MEMORY_FILL,
            Opcode.MEMORY_COPY, Opcode.MEMORY_INIT, Opcode.DATA_DROP, Opcode.TABLE_GROW, Opcode.TABLE_FILL,
            Opcode.TABLE_COPY, Opcode.TABLE_INIT, Opcode.ELEM_DROP);

    final WasmModule module;
    final MachineCode machineCode;
    private final CodeMemory code;
    private final Registration codeRegistration;
    private final Arena arena = Arena.ofShared();
    private final VmContextLayout layout;
    final MemorySegment vmctx;
    private long memory;
    private Registration memoryRegistration;

    /** Why a module cannot run here, or null. */
    static String unsupported(WasmModule module) {
        for (FunctionBody body : module.codes()) {
            InstructionReader r = new InstructionReader(new ByteReader(body.codeUnsafe()));
            while (!r.atEnd()) {
                Opcode op = r.next();
                if (BUILTIN_OPS.contains(op)) return "builtin " + op.text();
                if (op.isSimd()) return "simd";
            }
        }
        return null;
    }

    public static WasmModule load(byte[] binary) {
        WasmModule m = ModuleDecoder.decode(binary);
        Validator.validate(m);
        return m;
    }

    /** Finds the instance and export index providing an import, or null. */
    interface Imports {
        Provided resolve(dev.isthmus.model.Import imp);
    }

    /** An export of another test instance. */
    record Provided(TestInstance instance, int index) {}

    private final Imports imports;

    public TestInstance(WasmModule module, CompilerOptions options) {
        this(module, options, imp -> null);
    }

    TestInstance(WasmModule module, CompilerOptions options, Imports imports) {
        this(module, options, imports, dev.isthmus.compiler.machine.CpuFeatures.host());
    }

    TestInstance(WasmModule module, CompilerOptions options, Imports imports, dev.isthmus.compiler.machine.CpuFeatures cpu) {
        this.module = module;
        this.imports = imports;
        this.machineCode = ModuleCompiler.compile(module, options, cpu);
        this.code = CodeMemory.of(machineCode.code());
        this.codeRegistration = FaultTables.registerCode(code);
        this.layout = VmContextLayout.of(module);
        // the poll page (readable: never interrupted here) just below the page-aligned vmctx, as the runtime lays it out
        this.vmctx = arena.allocate(VmContextLayout.POLL_PAGE_SIZE + layout.size(), VmContextLayout.POLL_PAGE_SIZE)
                .asSlice(VmContextLayout.POLL_PAGE_SIZE);
        try {
            setUp();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void setUp() {
        vmctx.set(ValueLayout.JAVA_LONG, layout.raiseStub(), RuntimeStubs.get().raiseAddress());
        int function = 0;
        int global = 0;
        int table = 0;
        for (var imp : module.imports()) {
            Provided p = imports.resolve(imp);
            if (p == null) throw new IllegalStateException("unknown import " + imp.module() + "." + imp.name());
            TestInstance o = p.instance();
            switch (imp.desc().kind()) {
                case FUNC -> {
                    MemorySegment.copy(o.vmctx, o.layout.funcRef(p.index()), vmctx, layout.funcRef(function),
                            FuncRefLayout.SIZE);
                    function++;
                }
                case GLOBAL -> vmctx.set(ValueLayout.JAVA_LONG, layout.global(global++),
                        o.vmctx.get(ValueLayout.JAVA_LONG, o.layout.global(p.index())));
                case TABLE -> vmctx.set(ValueLayout.JAVA_LONG, layout.table(table++),
                        o.vmctx.get(ValueLayout.JAVA_LONG, o.layout.table(p.index())));
                case MEMORY -> {
                    vmctx.set(ValueLayout.JAVA_LONG, layout.memoryBase(),
                            o.vmctx.get(ValueLayout.JAVA_LONG, o.layout.memoryBase()));
                    vmctx.set(ValueLayout.JAVA_LONG, layout.memorySize(),
                            o.vmctx.get(ValueLayout.JAVA_LONG, o.layout.memorySize()));
                }
                default -> throw new IllegalStateException();
            }
        }
        if (!module.memories().isEmpty()) {
            long pages = module.memories().getFirst().limits().min();
            memory = MemoryMapping.mapAnonymous(RESERVATION, LinuxConstants.PROT_NONE);
            if (pages > 0) {
                MemoryMapping.mprotect(memory, pages << 16, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
            }
            memoryRegistration = FaultTables.registerFaultRegion(memory, memory + RESERVATION,
                    TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS);
            vmctx.set(ValueLayout.JAVA_LONG, layout.memoryBase(), memory);
            vmctx.set(ValueLayout.JAVA_LONG, layout.memorySize(), pages << 16);
        }
        for (int f = module.importedFunctionCount(); f < module.functionCount(); f++) {
            long ref = vmctx.address() + layout.funcRef(f);
            MemorySegment r = MemorySegment.ofAddress(ref).reinterpret(FuncRefLayout.SIZE);
            r.set(ValueLayout.JAVA_LONG, FuncRefLayout.CODE, code.address() + machineCode.functionOffset(f));
            r.set(ValueLayout.JAVA_LONG, FuncRefLayout.VMCTX, vmctx.address());
            r.set(ValueLayout.JAVA_LONG, FuncRefLayout.TYPE_ID, TypeIds.of(module.functionType(f)));
        }
        for (int g = module.importedGlobalCount(); g < module.globalCount(); g++) {
            MemorySegment cell = arena.allocate(16, 16);
            cell.set(ValueLayout.JAVA_LONG, 0, evaluate(module.globals().get(g - module.importedGlobalCount()).init()));
            vmctx.set(ValueLayout.JAVA_LONG, layout.global(g), cell.address());
        }
        for (int t = module.importedTableCount(); t < module.tableCount(); t++) {
            TableType type = module.tableType(t);
            long size = type.limits().min();
            MemorySegment header = arena.allocate(24, 8);
            MemorySegment elements = arena.allocate(Math.max(1, size) * 8, 8);
            header.set(ValueLayout.JAVA_LONG, TableLayout.ELEMENTS, elements.address());
            header.set(ValueLayout.JAVA_LONG, TableLayout.SIZE, size);
            header.set(ValueLayout.JAVA_LONG, TableLayout.MAX, type.limits().hasMax() ? type.limits().max() : 0xFFFF_FFFFL);
            vmctx.set(ValueLayout.JAVA_LONG, layout.table(t), header.address());
        }
        for (ElementSegment seg : module.elements()) {
            if (seg.mode() != SegmentMode.ACTIVE) continue;
            long offset = evaluate(seg.offset()) & 0xFFFF_FFFFL;
            MemorySegment header = table(seg.tableIndex());
            long size = header.get(ValueLayout.JAVA_LONG, TableLayout.SIZE);
            if (offset + seg.items().size() > size) throw new IllegalStateException("out of bounds table access");
            MemorySegment elements = MemorySegment.ofAddress(header.get(ValueLayout.JAVA_LONG, TableLayout.ELEMENTS))
                    .reinterpret(size * 8);
            for (int i = 0; i < seg.items().size(); i++) {
                elements.set(ValueLayout.JAVA_LONG, (offset + i) * 8, evaluate(seg.items().get(i)));
            }
        }
        for (DataSegment seg : module.data()) {
            if (seg.mode() != SegmentMode.ACTIVE) continue;
            long offset = evaluate(seg.offset()) & 0xFFFF_FFFFL;
            long size = vmctx.get(ValueLayout.JAVA_LONG, layout.memorySize());
            long base = vmctx.get(ValueLayout.JAVA_LONG, layout.memoryBase());
            if (offset + seg.length() > size) throw new IllegalStateException("out of bounds memory access");
            MemorySegment.copy(seg.bytesUnsafe(), 0, MemorySegment.ofAddress(base + offset).reinterpret(seg.length()),
                    ValueLayout.JAVA_BYTE, 0, seg.length());
        }
        if (module.hasStart()) invoke(module.startFunction());
    }

    private MemorySegment table(int index) {
        long address = vmctx.get(ValueLayout.JAVA_LONG, layout.table(index));
        return MemorySegment.ofAddress(address).reinterpret(24);
    }

    /** Evaluates a constant expression to raw bits (references as func ref addresses, 0 = null). */
    private long evaluate(ConstExpr expr) {
        InstructionReader r = new InstructionReader(new ByteReader(expr.codeUnsafe()));
        long value = 0;
        while (!r.atEnd()) {
            Opcode op = r.next();
            switch (op) {
                case I32_CONST -> value = r.i32() & 0xFFFF_FFFFL;
                case I64_CONST -> value = r.i64();
                case F32_CONST -> value = r.f32Bits() & 0xFFFF_FFFFL;
                case F64_CONST -> value = r.f64Bits();
                case REF_NULL -> value = 0;
                case REF_FUNC -> value = vmctx.address() + layout.funcRef(r.index());
                case GLOBAL_GET -> value = MemorySegment.ofAddress(
                        vmctx.get(ValueLayout.JAVA_LONG, layout.global(r.index()))).reinterpret(8)
                        .get(ValueLayout.JAVA_LONG, 0);
                case END -> { }
                default -> throw new IllegalStateException("const expr " + op.text());
            }
        }
        return value;
    }

    /** The value of global {@code index}'s cell (raw bits). */
    long global(int index) {
        return MemorySegment.ofAddress(vmctx.get(ValueLayout.JAVA_LONG, layout.global(index))).reinterpret(8)
                .get(ValueLayout.JAVA_LONG, 0);
    }

    /** Calls function {@code index} with raw-bit arguments; returns raw-bit results. */
    public long[] invoke(int index, long... args) throws TrapException {
        var type = module.functionType(index);
        int typeIndex = module.functionTypeIndex(index);
        int slots = Math.max(1, Math.max(type.params().size(), type.results().size()));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buffer = call.allocate((long) ValueBuffer.SLOT * slots, 16);
            for (int i = 0; i < args.length; i++) buffer.set(ValueLayout.JAVA_LONG, ValueBuffer.offset(i), args[i]);
            long ref = layout.funcRef(index);
            WasmCall.invoke(code.address() + machineCode.entryAdapterOffset(typeIndex),
                    vmctx.get(ValueLayout.JAVA_LONG, ref + FuncRefLayout.VMCTX), vmctx.get(ValueLayout.JAVA_LONG,
                            ref + FuncRefLayout.CODE), buffer.address(), 0);
            long[] results = new long[type.results().size()];
            for (int i = 0; i < results.length; i++) {
                long bits = buffer.get(ValueLayout.JAVA_LONG, ValueBuffer.offset(i));
                ValType t = type.results().get(i);
                results[i] = t == ValType.I32 || t == ValType.F32 ? bits & 0xFFFF_FFFFL : bits;
            }
            return results;
        }
    }

    /** The exported function or global index named {@code name}, or -1. */
    int export(String name, ExternKind kind) {
        for (var e : module.exports()) if (e.name().equals(name) && e.kind() == kind) return e.index();
        return -1;
    }

    List<ValType> resultTypes(int function) {
        return module.functionType(function).results();
    }

    @Override
    public void close() {
        if (memoryRegistration != null) memoryRegistration.close();
        if (memory != 0) MemoryMapping.munmap(memory, RESERVATION);
        memory = 0;
        codeRegistration.close();
        code.close();
        arena.close();
    }

    /**
     * The IR of defined function {@code definedIndex} of {@code wasm} after simplification under the optimizing
     * tier with {@code options} (the text between the stages), or "declined: reason".
     */
    public static String simplifiedIr(byte[] wasm, int definedIndex, dev.isthmus.options.CompilerOptions options) {
        dev.isthmus.model.WasmModule module = load(wasm);
        String[] ir = new String[1];
        dev.isthmus.compiler.optimizing.OptimizingCompiler.tryCompile(module,
                dev.isthmus.runtime.abi.VmContextLayout.of(module), options,
                dev.isthmus.compiler.machine.CpuFeatures.host(), module.importedFunctionCount() + definedIndex,
                new dev.isthmus.compiler.optimizing.OptimizingCompiler.StageObserver() {
                    @Override
                    public void simplified(dev.isthmus.compiler.optimizing.ir.IrFunction f) {
                        ir[0] = dev.isthmus.compiler.optimizing.ir.IrPrinter.print(f);
                    }

                    @Override
                    public void declined(String reason) {
                        ir[0] = "declined: " + reason;
                    }
                });
        return ir[0];
    }
}
