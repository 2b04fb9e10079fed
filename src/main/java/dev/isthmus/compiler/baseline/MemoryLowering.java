package dev.isthmus.compiler.baseline;

import dev.isthmus.compiler.machine.sequences.BulkMemory;
import dev.isthmus.compiler.machine.sequences.Memory64Bounds;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.TableLayout;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static dev.isthmus.x64.OperandSize.WORD;

/**
 * Linear memory, globals and inline table accesses. A memory operand is {@code [r14 + index + offset]} (r14 =
 * memory 0's base; i32 indices are zero-extended in their registers), with no check in guard-page mode and an
 * explicit {@code index + offset + size <= memorySize} check otherwise. Memories 1 and above (multiple memories)
 * follow the same rules through the vmctx: {@code mov r11, [r15 + memoryBase(k)]} before each access, the operand
 * {@code [r11 + index + offset]}, and the explicit check against {@code [r15 + memorySize(k)]}.
 */
final class MemoryLowering {
    private final Codegen g;
    private final Assembler a;

    MemoryLowering(Codegen g) {
        this.g = g;
        this.a = g.a;
    }

    /**
     * Pops the index and returns the operand of an access of {@code bytes} at {@code offset} in memory
     * {@code memory}; for a memory other than 0 the operand's base is r11, so nothing may use r11 before the access.
     */
    Mem address(int memory, long offset, int bytes) {
        if (g.memory64[memory]) return address64(memory, offset, bytes);
        if (memory != 0) return otherMemoryAddress(memory, offset, bytes);
        return address(offset, bytes);
    }

    /**
     * Pops the i64 index and returns the operand of an access of {@code bytes} at {@code offset} in memory64 memory
     * {@code memory}, checked by {@link Memory64Bounds} (always: no guard region alone catches a 64-bit index): the
     * index against the size and the offset folded ({@code [base + index + offset]}) up to the guard's size, else
     * {@code [base + r11 - bytes]} with r11 = index + offset + bytes; for a memory other than 0, r11 holds the base
     * too, so nothing may use r11 before the access.
     */
    private Mem address64(int memory, long offset, int bytes) {
        Val index = g.pop();
        Mem size = Mem.of(Gpr.R15, memory == 0 ? g.memorySizeOffset : (int) g.vm.memorySize(memory));
        Mem baseWord = Mem.of(Gpr.R15, memory == 0 ? g.memoryBaseOffset : (int) g.vm.memoryBase(memory));
        Label trap = g.trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS);
        if (index.isConst()) {
            long ea = Memory64Bounds.checkConstant(a, trap, index.value(), offset, bytes, size, Gpr.R11);
            if (ea < 0) ea = 0;                                   // unreachable after the jump to the trap
            if (memory == 0) {
                if (ea <= Integer.MAX_VALUE) return Mem.of(g.memoryBase, (int) ea);
                a.movabs(Gpr.R11, ea);
                return Mem.of(g.memoryBase, Gpr.R11, 1, 0);
            }
            if (ea <= Integer.MAX_VALUE) {
                a.mov(QWORD, Gpr.R11, baseWord);
                return Mem.of(Gpr.R11, (int) ea);
            }
            a.movabs(Gpr.R11, ea);
            a.add(QWORD, Gpr.R11, baseWord);
            return Mem.of(Gpr.R11, 0);
        }
        Gpr r = g.readGpr(index);
        g.doneReading(index, r); // the register stays readable until the next allocation
        switch (Memory64Bounds.check(a, trap, r, offset, bytes, size, Gpr.R11)) {
            case INDEX_PLUS_OFFSET -> {
                if (memory == 0) return Mem.of(g.memoryBase, r, 1, (int) offset);
                a.mov(QWORD, Gpr.R11, baseWord);
                return Mem.of(Gpr.R11, r, 1, (int) offset);
            }
            case SCRATCH_MINUS_SIZE -> {
                if (memory == 0) return Mem.of(g.memoryBase, Gpr.R11, 1, -bytes);
                a.add(QWORD, Gpr.R11, baseWord);
                return Mem.of(Gpr.R11, -bytes);
            }
            default -> {                                          // unreachable after the jump to the trap
                return memory == 0 ? Mem.of(g.memoryBase, 0) : Mem.of(Gpr.R11, 0);
            }
        }
    }

    private Mem otherMemoryAddress(int memory, long offset, int bytes) {
        Val index = g.pop();
        Mem base = Mem.of(Gpr.R15, (int) g.vm.memoryBase(memory));
        Mem size = Mem.of(Gpr.R15, (int) g.vm.memorySize(memory));
        boolean explicit = g.options.boundsChecks() == BoundsChecks.EXPLICIT;
        if (index.isConst()) {
            long ea = (index.value() & 0xFFFF_FFFFL) + offset;
            if (explicit) {
                a.movabs(Gpr.R11, ea + bytes);
                a.cmp(QWORD, Gpr.R11, size);
                a.jcc(Cond.A, g.trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS));
            }
            if (ea < Integer.MAX_VALUE) {
                a.mov(QWORD, Gpr.R11, base);
                return Mem.of(Gpr.R11, (int) ea);
            }
            a.movabs(Gpr.R11, ea);
            a.add(QWORD, Gpr.R11, base);
            return Mem.of(Gpr.R11, 0);
        }
        Gpr r = g.readGpr(index);
        g.doneReading(index, r); // the register stays readable until the next allocation
        if (explicit) {
            if (offset + bytes <= Integer.MAX_VALUE) {
                a.lea(QWORD, Gpr.R11, Mem.of(r, (int) (offset + bytes)));
            } else {
                a.movabs(Gpr.R11, offset + bytes);
                a.add(QWORD, Gpr.R11, r);
            }
            a.cmp(QWORD, Gpr.R11, size);
            a.jcc(Cond.A, g.trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS));
        }
        if (offset < Integer.MAX_VALUE) {
            a.mov(QWORD, Gpr.R11, base);
            return Mem.of(Gpr.R11, r, 1, (int) offset);
        }
        a.mov(DWORD, Gpr.R11, offset);
        a.add(QWORD, Gpr.R11, r);
        a.add(QWORD, Gpr.R11, base);
        return Mem.of(Gpr.R11, 0);
    }

    /** Pops the index and returns the operand of an access of {@code bytes} at {@code offset} in memory 0. */
    Mem address(long offset, int bytes) {
        if (g.memory64[0]) return address64(0, offset, bytes);
        Val index = g.pop();
        Gpr base = g.memoryBase;
        if (index.isConst()) {
            long ea = (index.value() & 0xFFFF_FFFFL) + offset;
            if (g.options.boundsChecks() == BoundsChecks.EXPLICIT) {
                a.movabs(Gpr.R11, ea + bytes);
                a.cmp(QWORD, Gpr.R11, Mem.of(Gpr.R15, g.memorySizeOffset));
                a.jcc(Cond.A, g.trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS));
            }
            if (ea < Integer.MAX_VALUE) return Mem.of(base, (int) ea);
            a.movabs(Gpr.R11, ea);
            return Mem.of(base, Gpr.R11, 1, 0);
        }
        Gpr r = g.readGpr(index);
        g.doneReading(index, r); // the register stays readable until the next allocation
        if (g.options.boundsChecks() == BoundsChecks.EXPLICIT) {
            if (offset + bytes <= Integer.MAX_VALUE) {
                a.lea(QWORD, Gpr.R11, Mem.of(r, (int) (offset + bytes)));
            } else {
                a.movabs(Gpr.R11, offset + bytes);
                a.add(QWORD, Gpr.R11, r);
            }
            a.cmp(QWORD, Gpr.R11, Mem.of(Gpr.R15, g.memorySizeOffset));
            a.jcc(Cond.A, g.trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS));
        }
        if (offset < Integer.MAX_VALUE) return Mem.of(base, r, 1, (int) offset);
        a.mov(DWORD, Gpr.R11, offset);
        a.add(QWORD, Gpr.R11, r);
        return Mem.of(base, Gpr.R11, 1, 0);
    }

    /**
     * A load of {@code size} bytes producing {@code type}.
     *
     * @param signed sign-extend a narrow load
     */
    void load(int memory, ValType type, OperandSize size, boolean signed, long offset) {
        if (Codegen.isFloat(type)) {
            if (memory != 0) {                      // r11 is the operand's base: nothing may run in between
                Xmm d = g.allocXmm();
                g.loadXmm(d, address(memory, offset, size.bytes()), type);
                g.pushReg(type, d);
                return;
            }
            Mem m = address(offset, size.bytes());
            Xmm d = g.allocXmm();
            g.loadXmm(d, m, type);
            g.pushReg(type, d);
            return;
        }
        // allocate first so the index register cannot be handed out between address and load
        Gpr d = g.allocGpr();
        Mem m = address(memory, offset, size.bytes());
        OperandSize dsz = Codegen.sizeOf(type);
        if (size == dsz) a.mov(dsz, d, m);
        else if (size == DWORD) {
            if (signed) a.movsxd(d, m);
            else a.mov(DWORD, d, m);
        } else if (signed) a.movsx(dsz, d, size, m);
        else a.movzx(DWORD, d, size, m);
        g.pushReg(type, d);
    }

    void store(int memory, ValType type, OperandSize size, long offset) {
        Val v = g.pop();
        if (Codegen.isFloat(type)) {
            Xmm x = g.readXmm(v);
            Mem m = address(memory, offset, size.bytes());
            g.storeXmm(m, x, type);
            g.release(x);
            return;
        }
        if (v.isConst() && (size != QWORD || v.value() == (int) v.value())) {
            Mem m = address(memory, offset, size.bytes());
            long imm = switch (size) {
                case BYTE -> (byte) v.value();
                case WORD -> (short) v.value();
                default -> (int) v.value();
            };
            a.mov(size, m, imm);
            return;
        }
        Gpr r = g.readGpr(v);
        boolean owned = !(v.kind() == Codegen.LOCAL && g.localReg[(int) v.value()] == r);
        Mem m = address(memory, offset, size.bytes());
        a.mov(size, m, r);
        if (owned) g.release(r);
    }

    /**
     * {@code memory.copy} ({@code copy}) or {@code memory.fill} inline ({@link BulkMemory}): the operand stack to
     * its slots first, so the string registers are free (a function with bulk operations is not a leaf, so no
     * local lives in them), then the operands into rdi, rsi or rax, and rcx.
     */
    void bulk(boolean copy, int dstMemory, int srcMemory) {
        g.spillRegisters();
        Val n = g.pop();
        Val second = g.pop();
        Val dst = g.pop();
        g.emitLoad(Gpr.RDI, dst);
        g.emitLoad(copy ? Gpr.RSI : Gpr.RAX, second);
        g.emitLoad(Gpr.RCX, n);
        if (dstMemory == 0 && srcMemory == 0 && !g.memory64[0]) {
            if (copy) BulkMemory.copy(a, g::trap, g.memoryBaseOffset, g.memorySizeOffset, g.memoryBase);
            else BulkMemory.fill(a, g::trap, g.memoryBaseOffset, g.memorySizeOffset, g.memoryBase);
            return;
        }
        BulkMemory.Operand to = operand(dstMemory);
        if (copy) BulkMemory.copy(a, g::trap, to, operand(srcMemory));
        else BulkMemory.fill(a, g::trap, to);
    }

    /** Memory {@code k} as a bulk operand: memory 0's base is in r14 (when the function loaded it). */
    private BulkMemory.Operand operand(int k) {
        return new BulkMemory.Operand((int) g.vm.memoryBase(k), (int) g.vm.memorySize(k),
                k == 0 ? g.memoryBase : null, g.memory64[k]);
    }

    void memorySize(int memory) {
        Gpr d = g.allocGpr();
        a.mov(QWORD, d, Mem.of(Gpr.R15, memory == 0 ? g.memorySizeOffset : (int) g.vm.memorySize(memory)));
        a.shift(ShiftOp.SHR, QWORD, d, 16);
        g.pushReg(g.memory64[memory] ? ValType.I64 : ValType.I32, d);
    }

    void globalGet(int index) {
        ValType t = g.module.globalType(index).type();
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R15, (int) g.vm.global(index)));
        if (Codegen.isFloat(t)) {
            Xmm d = g.allocXmm();
            g.loadXmm(d, Mem.of(Gpr.R11), t);
            g.pushReg(t, d);
        } else {
            Gpr d = g.allocGpr();
            a.mov(Codegen.sizeOf(t), d, Mem.of(Gpr.R11));
            g.pushReg(t, d);
        }
    }

    void globalSet(int index) {
        ValType t = g.module.globalType(index).type();
        Val v = g.pop();
        if (Codegen.isFloat(t)) {
            Xmm x = g.readXmm(v);
            a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R15, (int) g.vm.global(index)));
            g.storeXmm(Mem.of(Gpr.R11), x, t);
            g.release(x);
        } else {
            Gpr r = g.readGpr(v);
            a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R15, (int) g.vm.global(index)));
            a.mov(Codegen.sizeOf(t), Mem.of(Gpr.R11), r);
            g.doneReading(v, r);
        }
    }

    /** r11 = the element array of {@code table} after checking {@code index < size}. */
    private void checkedElements(int table, Gpr index) {
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R15, (int) g.vm.table(table)));
        a.cmp(QWORD, index, Mem.of(Gpr.R11, (int) TableLayout.SIZE));
        a.jcc(Cond.AE, g.trap(TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS));
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R11, (int) TableLayout.ELEMENTS));
    }

    void tableGet(int table, ValType refType) {
        Val index = g.pop();
        Gpr r = g.ownGpr(index);
        checkedElements(table, r);
        a.mov(QWORD, r, Mem.of(Gpr.R11, r, 8, 0));
        g.pushReg(refType, r);
    }

    void tableSet(int table) {
        Val value = g.pop();
        Val index = g.pop();
        Gpr v = g.ownGpr(value);
        Gpr r = g.ownGpr(index);
        checkedElements(table, r);
        a.mov(QWORD, Mem.of(Gpr.R11, r, 8, 0), v);
        g.release(v);
        g.release(r);
    }

    void tableSize(int table) {
        Gpr d = g.allocGpr();
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R15, (int) g.vm.table(table)));
        a.mov(DWORD, d, Mem.of(Gpr.R11, (int) TableLayout.SIZE)); // at most MAX_ELEMENTS: zero-extended
        g.pushReg(g.table64[table] ? ValType.I64 : ValType.I32, d);
    }
}
