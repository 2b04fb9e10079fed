package dev.isthmus.runtime.instance;

import static dev.isthmus.x64.Gpr.R11;
import static dev.isthmus.x64.Gpr.R15;
import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBP;
import static dev.isthmus.x64.Gpr.RBX;
import static dev.isthmus.x64.Gpr.RCX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.Gpr.RSI;
import static dev.isthmus.x64.Gpr.RSP;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.HostRecordLayout;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A stand-in for the compiler in runtime tests: machine code assembled by hand for a module whose functions use
 * only integer values (at most four parameters, at most one result), with entry and host-call adapters that follow
 * the {@link dev.isthmus.runtime.abi.ValueBuffer} contract. Each test function body is given as assembly.
 */
public final class AssembledCode implements ModuleCode, AutoCloseable {
    private static final Gpr[] ARGS = {RDI, RSI, RDX, RCX};

    private final CodeMemory memory;
    private final Registration registration;
    private final Map<Integer, Long> functions = new HashMap<>();
    private final Map<Integer, Long> entryAdapters = new HashMap<>();
    private final Map<Integer, Long> hostAdapters = new HashMap<>();

    /** Function bodies by function index: each gets the assembler and the module's context layout. */
    public AssembledCode(WasmModule module, Map<Integer, BiConsumer<Assembler, VmContextLayout>> bodies) {
        VmContextLayout layout = VmContextLayout.of(module);
        Assembler asm = new Assembler();
        asm.int3(); // never empty
        Map<Integer, Label> functionLabels = new HashMap<>();
        Map<Integer, Label> entryLabels = new HashMap<>();
        Map<Integer, Label> hostLabels = new HashMap<>();
        for (var body : bodies.entrySet()) {
            asm.align(16);
            Label label = asm.newLabel();
            asm.bind(label);
            body.getValue().accept(asm, layout);
            functionLabels.put(body.getKey(), label);
        }
        for (int t = 0; t < module.types().size(); t++) {
            FuncType type = module.types().get(t);
            if (!integerOnly(type)) continue;
            entryLabels.put(t, emitEntryAdapter(asm, type));
            hostLabels.put(t, emitHostAdapter(asm, type));
        }
        memory = CodeMemory.of(asm.finish());
        registration = FaultTables.registerCode(memory);
        functionLabels.forEach((i, l) -> functions.put(i, memory.address() + l.position()));
        entryLabels.forEach((i, l) -> entryAdapters.put(i, memory.address() + l.position()));
        hostLabels.forEach((i, l) -> hostAdapters.put(i, memory.address() + l.position()));
    }

    private static boolean integerOnly(FuncType type) {
        if (type.params().size() > 4 || type.results().size() > 1) return false;
        return type.params().stream().noneMatch(AssembledCode::isFloat)
                && type.results().stream().noneMatch(AssembledCode::isFloat);
    }

    private static boolean isFloat(ValType type) {
        return type == ValType.F32 || type == ValType.F64;
    }

    private static Label emitEntryAdapter(Assembler asm, FuncType type) {
        asm.align(16);
        Label label = asm.newLabel();
        asm.bind(label);
        asm.push(RBP);
        asm.mov(QWORD, RBP, RSP);
        asm.push(RBX);
        asm.push(R15);
        asm.mov(QWORD, RBX, RDX);
        asm.mov(QWORD, R15, RDI);
        asm.mov(QWORD, RAX, RSI);
        for (int i = 0; i < type.params().size(); i++) asm.mov(QWORD, ARGS[i], Mem.of(RBX, 16 * i));
        asm.call(RAX);
        if (!type.results().isEmpty()) asm.mov(QWORD, Mem.of(RBX, 0), RAX);
        asm.pop(R15);
        asm.pop(RBX);
        asm.pop(RBP);
        asm.xor(DWORD, RAX, RAX);
        asm.ret();
        return label;
    }

    private static Label emitHostAdapter(Assembler asm, FuncType type) {
        asm.align(16);
        Label label = asm.newLabel();
        Label trap = asm.newLabel();
        asm.bind(label);
        asm.push(RBP);
        asm.mov(QWORD, RBP, RSP);
        asm.sub(QWORD, RSP, 64);
        for (int i = 0; i < type.params().size(); i++) asm.mov(QWORD, Mem.of(RSP, 16 * i), ARGS[i]);
        asm.mov(QWORD, RDI, R15);
        asm.mov(QWORD, RSI, RSP);
        asm.call(Mem.of(R15, (int) HostRecordLayout.BRIDGE));
        asm.test(DWORD, RAX, RAX);
        asm.jcc(Cond.NE, trap);
        asm.mov(QWORD, RAX, Mem.of(RSP, 0));
        asm.mov(QWORD, RSP, RBP);
        asm.pop(RBP);
        asm.ret();
        asm.bind(trap);
        asm.mov(DWORD, RDI, RAX);
        asm.call(Mem.of(R15, (int) HostRecordLayout.RAISE));
        asm.ud2();
        return label;
    }

    // ---- bodies used by the tests (wasm ABI: r15 = vmctx) ----

    /** {@code a + b} (i32). */
    public static void add(Assembler asm, VmContextLayout layout) {
        asm.lea(DWORD, RAX, Mem.of(RDI, RSI, 1, 0));
        asm.ret();
    }

    /** {@code i32.load (a)} from memory 0, no bounds check (guard pages). */
    public static void load(Assembler asm, VmContextLayout layout) {
        asm.mov(QWORD, RAX, Mem.of(R15, (int) layout.memoryBase()));
        asm.mov(DWORD, RDI, RDI);
        asm.mov(DWORD, RAX, Mem.of(RAX, RDI, 1, 0));
        asm.ret();
    }

    /** {@code i32.store (a) b} to memory 0. */
    public static void store(Assembler asm, VmContextLayout layout) {
        asm.mov(QWORD, RAX, Mem.of(R15, (int) layout.memoryBase()));
        asm.mov(DWORD, RDI, RDI);
        asm.mov(DWORD, Mem.of(RAX, RDI, 1, 0), RSI);
        asm.ret();
    }

    /** {@code memory.size} in pages. */
    public static void memorySize(Assembler asm, VmContextLayout layout) {
        asm.mov(QWORD, RAX, Mem.of(R15, (int) layout.memorySize()));
        asm.shift(dev.isthmus.x64.ShiftOp.SHR, QWORD, RAX, 16);
        asm.ret();
    }

    /** {@code unreachable}. */
    public static void unreachable(Assembler asm, VmContextLayout layout) {
        asm.ud2();
    }

    /** Reads global {@code index} (i32 or i64). */
    public static BiConsumer<Assembler, VmContextLayout> globalGet(int index) {
        return (asm, layout) -> {
            asm.mov(QWORD, RAX, Mem.of(R15, (int) layout.global(index)));
            asm.mov(QWORD, RAX, Mem.of(RAX, 0));
            asm.ret();
        };
    }

    /** Calls imported function {@code index} with the same arguments and returns its result. */
    public static BiConsumer<Assembler, VmContextLayout> callImport(int index) {
        return (asm, layout) -> {
            int ref = (int) layout.funcRef(index);
            asm.push(R15);
            asm.mov(QWORD, R11, Mem.of(R15, ref + (int) FuncRefLayout.CODE));
            asm.mov(QWORD, R15, Mem.of(R15, ref + (int) FuncRefLayout.VMCTX));
            asm.call(R11);
            asm.pop(R15);
            asm.ret();
        };
    }

    /** Calls builtin {@code b} with the function's (up to 4) arguments after vmctx; returns rax. */
    public static BiConsumer<Assembler, VmContextLayout> callBuiltin(Builtin builtin) {
        return (asm, layout) -> {
            asm.push(R15);
            asm.mov(QWORD, Gpr.R9, Gpr.R8);
            asm.mov(QWORD, Gpr.R8, RCX);
            asm.mov(QWORD, RCX, RDX);
            asm.mov(QWORD, RDX, RSI);
            asm.mov(QWORD, RSI, RDI);
            asm.mov(QWORD, RDI, R15);
            asm.call(Mem.of(R15, (int) layout.builtin(builtin)));
            asm.pop(R15);
            asm.ret();
        };
    }


    /** Calls element {@code [a]} of table 0 with no arguments, checking type id {@code typeId}. */
    public static BiConsumer<Assembler, VmContextLayout> callIndirect(long typeId) {
        return (asm, layout) -> {
            Label trap = asm.newLabel();
            asm.push(R15);
            asm.mov(QWORD, RAX, Mem.of(R15, (int) layout.table(0)));
            asm.mov(DWORD, RDI, RDI);
            asm.mov(QWORD, RCX, Mem.of(RAX, 8));
            asm.cmp(QWORD, RDI, RCX);
            asm.jcc(Cond.AE, trap);
            asm.mov(QWORD, RAX, Mem.of(RAX, 0));
            asm.mov(QWORD, RAX, Mem.of(RAX, RDI, 8, 0));
            asm.test(QWORD, RAX, RAX);
            asm.jcc(Cond.E, trap);
            asm.mov(QWORD, R11, Mem.of(RAX, (int) FuncRefLayout.CODE));
            asm.mov(QWORD, R15, Mem.of(RAX, (int) FuncRefLayout.VMCTX));
            asm.call(R11);
            asm.pop(R15);
            asm.ret();
            asm.bind(trap);
            asm.mov(DWORD, RDI, dev.isthmus.runtime.abi.TrapCode.UNDEFINED_ELEMENT.code());
            asm.call(Mem.of(R15, (int) layout.raiseStub()));
            asm.ud2();
        };
    }

    @Override
    public long functionAddress(int functionIndex) {
        Long a = functions.get(functionIndex);
        if (a == null) throw new IllegalArgumentException("no assembled body for function " + functionIndex);
        return a;
    }

    @Override
    public long entryAdapterAddress(int typeIndex) {
        return entryAdapters.get(typeIndex);
    }

    @Override
    public long hostAdapterAddress(int typeIndex) {
        return hostAdapters.get(typeIndex);
    }

    /** Not closed by tests that may leave half-made instances behind. */
    @Override
    public void close() {
        registration.close();
        memory.close();
    }

}
