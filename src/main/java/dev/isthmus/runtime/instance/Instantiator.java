package dev.isthmus.runtime.instance;

import dev.isthmus.options.BoundsChecks;


import dev.isthmus.os.NativeHeap;
import dev.isthmus.model.DataSegment;
import dev.isthmus.model.ElementSegment;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.TypeIds;
import dev.isthmus.runtime.host.HostBridge;
import dev.isthmus.runtime.memory.GrowLimits;
import dev.isthmus.runtime.memory.LinearMemory;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;

/**
 * Instantiates a validated module, in the order of the Wasm 2.0 spec:
 *
 * <ol>
 * <li>resolve and type-check the imports ({@link LinkFailure} on failure; nothing is allocated);</li>
 * <li>allocate the context, func refs, tables, memories and globals (initialisers evaluated in order), and evaluate
 *     the element and data segments;</li>
 * <li>apply the active element segments, then the active data segments, in order, each like {@code table.init} /
 *     {@code memory.init} followed by a drop: the first out-of-bounds one traps, earlier writes stay (also in
 *     imported tables and memories); declarative segments are dropped;</li>
 * <li>run the start function.</li>
 * </ol>
 * A trap in steps 3–4 is thrown as {@link InstantiationTrap}; the half-made instance is then left allocated on
 * purpose, since tables it wrote into may still refer to its functions.
 */
public final class Instantiator {
    private Instantiator() {
    }

    /** Instantiates {@code module} whose machine code is {@code code}. */
    public static RuntimeInstance instantiate(WasmModule module, ModuleCode code, ImportResolver resolver,
                                              BoundsChecks memoryMode) {
        return instantiate(module, code, resolver, memoryMode, java.util.List.of());
    }

    /**
     * Instantiates {@code module}; the instance takes over {@code dependencies} (uses acquired of the instances it
     * imports from) and gives them back when it is freed, or at once if instantiation fails before it exists.
     */
    public static RuntimeInstance instantiate(WasmModule module, ModuleCode code, ImportResolver resolver,
                                              BoundsChecks memoryMode, java.util.List<NativeLifetime> dependencies) {
        return instantiate(module, code, resolver, memoryMode, dependencies, instance -> { });
    }

    /**
     * Like {@link #instantiate(WasmModule, ModuleCode, ImportResolver, BoundsChecks, java.util.List)}, calling
     * {@code allocated} with the instance once everything is allocated and linked, before any segment is applied
     * and before the start function runs (so host functions the start function calls find what it attached).
     */
    public static RuntimeInstance instantiate(WasmModule module, ModuleCode code, ImportResolver resolver,
                                              BoundsChecks memoryMode, java.util.List<NativeLifetime> dependencies,
                                              java.util.function.Consumer<RuntimeInstance> allocated) {
        return instantiate(module, code, resolver, memoryMode, dependencies, allocated, GrowLimits.NONE, 0, false);
    }

    /**
     * Like {@link #instantiate(WasmModule, ModuleCode, ImportResolver, BoundsChecks, java.util.List,
     * java.util.function.Consumer)}, the memories and tables the instance creates limited by {@code growLimits}
     * (imported ones keep their own): a declared minimum they refuse fails with {@link ResourceLimitExceeded}
     * before anything runs, and later grows they refuse return -1. The start function runs as a call from Java
     * with the engine's limits: it can be interrupted ({@link RuntimeInstance#interrupt()}, {@link Thread#interrupt()} when
     * {@code threadInterrupts}) and it traps when it runs longer than {@code timeoutNanos} (0 for no limit).
     */
    public static RuntimeInstance instantiate(WasmModule module, ModuleCode code, ImportResolver resolver,
                                              BoundsChecks memoryMode, java.util.List<NativeLifetime> dependencies,
                                              java.util.function.Consumer<RuntimeInstance> allocated,
                                              GrowLimits growLimits, long timeoutNanos, boolean threadInterrupts) {
        ExternValue[] imports;
        try {
            imports = ImportMatcher.resolve(module, resolver);
        } catch (RuntimeException | Error e) {
            dependencies.forEach(NativeLifetime::releaseDependant);
            throw e;
        }
        RuntimeInstance instance = new RuntimeInstance(module, code, dependencies);
        try {
            allocate(instance, imports, memoryMode, growLimits);
            allocated.accept(instance);
        } catch (RuntimeException | Error e) {
            instance.close();
            throw e;
        }
        try {
            initialise(instance);
            if (module.hasStart()) {
                int start = module.startFunction();
                long entryAdapter = code.entryAdapterAddress(module.functionTypeIndex(start));
                if (timeoutNanos == 0 && !threadInterrupts) {
                    FunctionCaller.call(instance, 0, false, entryAdapter, instance.funcRef(start), new long[0], 0);
                } else {
                    instance.limits(threadInterrupts);
                    FunctionCaller.call(instance, timeoutNanos, threadInterrupts, entryAdapter, instance.funcRef(start),
                            new long[0], 0);
                }
            }
        } catch (TrapException trap) {
            throw new InstantiationTrap(trap, instance);
        }
        return instance;
    }

    private static void allocate(RuntimeInstance instance, ExternValue[] imports, BoundsChecks memoryMode,
                                 GrowLimits growLimits) {
        WasmModule module = instance.module;
        var layout = instance.layout;
        long vmctx = instance.vmctx;
        NativeHeap.putLong(vmctx + layout.raiseStub(), RuntimeStubs.get().raiseAddress());
        NativeHeap.putLong(vmctx + layout.throwStub(), ExceptionDispatch.throwAddress());
        for (Builtin builtin : Builtin.values()) {
            NativeHeap.putLong(vmctx + layout.builtin(builtin), Builtins.address(builtin));
        }
        int function = 0;
        int table = 0;
        int memory = 0;
        int global = 0;
        int tag = 0;
        for (int i = 0; i < imports.length; i++) {
            ImportDesc desc = module.imports().get(i).desc();
            ExternValue value = imports[i];
            switch (desc) {
                case ImportDesc.Func f -> linkFunction(instance, function++, f.typeIndex(), value);
                case ImportDesc.Table t -> instance.tables[table++] = ((ExternValue.Table) value).table();
                case ImportDesc.Memory m -> {
                    LinearMemory imported = ((ExternValue.Memory) value).memory();
                    // a memory64 memory is always checked explicitly, by every module's code
                    if (memoryMode == BoundsChecks.GUARD_PAGES && !imported.address64()
                            && imported.mode() != memoryMode) {
                        throw new LinkFailure("incompatible import type: a memory without guard pages for code "
                                + "compiled without bounds checks");
                    }
                    instance.memories[memory++] = imported;
                }
                case ImportDesc.Global g -> instance.globals[global++] = ((ExternValue.Global) value).cell();
                case ImportDesc.Tag t -> instance.tags[tag++] = ((ExternValue.Tag) value).tag();
            }
            instance.keepAlive.add(value);
        }
        for (int typeIndex : module.tags()) {
            instance.tags[tag++] = new TagInstance(module.types().get(typeIndex), TypeIds.of(module, typeIndex));
        }
        int[] typeIds = TypeIds.ofAll(module);
        for (int i = function; i < module.functionCount(); i++) {
            long ref = instance.funcRef(i);
            NativeHeap.putLong(ref + FuncRefLayout.CODE, instance.code.functionAddress(i));
            NativeHeap.putLong(ref + FuncRefLayout.VMCTX, vmctx);
            NativeHeap.putLong(ref + FuncRefLayout.TYPE_ID, typeIds[module.functionTypeIndex(i)]);
        }
        if (instance.code.compilesOnCall()) instance.code.attach(vmctx, layout);
        for (var type : module.tables()) {
            long min = type.limits().min();
            if (Long.compareUnsigned(min, growLimits.maxTableElements()) > 0) {
                throw new ResourceLimitExceeded("table of " + Long.toUnsignedString(min)
                        + " elements exceeds the limit of "
                        + growLimits.maxTableElements() + " elements per table (ResourceLimits.maxTableElements)");
            }
            if (min > 0 && min <= TableInstance.MAX_ELEMENTS
                    && !growLimits.allowsTable(0, min, type.limits().hasMax() ? type.limits().max() : -1)) {
                throw new ResourceLimitExceeded("the resource limiter refused a table of " + min + " elements");
            }
            // a table with an initialiser (typed function references) starts with every element set to its value;
            // it may read imported globals and refer to functions, both in place by now
            long fill = type.init() == null ? 0 : ConstExprs.evaluate(type.init(), context(instance));
            TableInstance created = TableInstance.create(type, fill, growLimits);
            created.elementTypeId(ImportMatcher.typeId(module, type.elementType()));
            instance.owned.add(created);
            instance.tables[table++] = created;
        }
        for (var type : module.memories()) {
            long minPages = type.limits().min();
            if (type.address64() && Long.compareUnsigned(minPages, LinearMemory.MEMORY64_MAX_PAGES) > 0) {
                throw new ResourceLimitExceeded("memory64 of " + Long.toUnsignedString(minPages)
                        + " pages exceeds the engine's limit of " + LinearMemory.MEMORY64_MAX_PAGES
                        + " pages per memory64 memory");
            }
            long bytes = minPages * LinearMemory.PAGE;
            if (bytes > growLimits.maxMemoryBytes()) {
                throw new ResourceLimitExceeded("memory of " + type.limits().min() + " pages (" + bytes
                        + " bytes) exceeds the limit of " + growLimits.maxMemoryBytes()
                        + " bytes per memory (ResourceLimits.maxMemoryBytes)");
            }
            if (bytes > 0 && !growLimits.allowsMemory(0, bytes,
                    maximumBytes(type))) {
                throw new ResourceLimitExceeded("the resource limiter refused a memory of " + type.limits().min()
                        + " pages (" + bytes + " bytes)");
            }
            LinearMemory created = LinearMemory.create(type, memoryMode, growLimits);
            instance.owned.add(created);
            instance.memories[memory++] = created;
        }
        for (int i = 0; i < instance.tables.length; i++) {
            NativeHeap.putLong(vmctx + layout.table(i), instance.tables[i].address());
        }
        for (int k = 0; k < instance.memories.length; k++) {
            NativeHeap.putLong(vmctx + layout.memoryBase(k), instance.memories[k].base());
            instance.memories[k].mirrorSizeInto(vmctx + layout.memorySize(k));
        }
        ConstExprs.Context context = context(instance);
        for (var definition : module.globals()) {
            GlobalCell cell;
            int heapTypeId = ImportMatcher.typeId(module, definition.type().type());
            if (definition.type().type() == dev.isthmus.model.ValType.V128) {
                long[] v = ConstExprs.evaluateV128(definition.init(), context);
                cell = new GlobalCell(definition.type(), v[0], v[1], heapTypeId);
            } else {
                cell = new GlobalCell(definition.type(), ConstExprs.evaluate(definition.init(), context), 0, heapTypeId);
            }
            instance.owned.add(cell);
            instance.globals[global++] = cell;
        }
        for (int i = 0; i < instance.globals.length; i++) {
            NativeHeap.putLong(vmctx + layout.global(i), instance.globals[i].address());
        }
        for (int i = 0; i < module.elements().size(); i++) {
            ElementSegment segment = module.elements().get(i);
            long[] items = new long[segment.items().size()];
            for (int k = 0; k < items.length; k++) items[k] = ConstExprs.evaluate(segment.items().get(k), context);
            instance.elementSegments[i] = items;
        }
        for (int i = 0; i < module.data().size(); i++) {
            instance.dataSegments[i] = module.data().get(i).bytesUnsafe();
        }
    }

    private static void linkFunction(RuntimeInstance instance, int index, int typeIndex, ExternValue value) {
        long ref = instance.funcRef(index);
        switch (value) {
            case ExternValue.WasmFunction w -> NativeHeap.at(ref, FuncRefLayout.SIZE)
                    .copyFrom(NativeHeap.at(w.funcRef(), FuncRefLayout.SIZE));
            case ExternValue.HostFunction h -> {
                FuncType type = h.type();
                long record = HostBridge.newRecord(h.code(), Math.max(type.params().size(), type.results().size()),
                        instance);
                instance.hostRecords.add(record);
                // a host function's wasm exception is thrown on from the call site instead of trapping
                NativeHeap.putLong(record + dev.isthmus.runtime.abi.HostRecordLayout.RAISE,
                        ExceptionDispatch.raiseOrThrowAddress());
                NativeHeap.putLong(ref + FuncRefLayout.CODE, instance.code.hostAdapterAddress(typeIndex));
                NativeHeap.putLong(ref + FuncRefLayout.VMCTX, record);
                NativeHeap.putLong(ref + FuncRefLayout.TYPE_ID, TypeIds.of(instance.module, typeIndex));
            }
            default -> throw new IllegalStateException("not a function: " + value);
        }
    }

    private static ConstExprs.Context context(RuntimeInstance instance) {
        return new ConstExprs.Context() {
            @Override
            public long global(int index) {
                return instance.globals[index].get();
            }

            @Override
            public long globalHigh(int index) {
                return instance.globals[index].getHigh();
            }

            @Override
            public long funcRef(int index) {
                return instance.funcRef(index);
            }
        };
    }

    /** The declared maximum of a memory in bytes for the resource limiter, -1 for none (or beyond 2^63 bytes). */
    private static long maximumBytes(dev.isthmus.model.MemoryType type) {
        long max = type.limits().max();
        if (!type.limits().hasMax() || Long.compareUnsigned(max, Long.MAX_VALUE / LinearMemory.PAGE) > 0) return -1;
        return max * LinearMemory.PAGE;
    }

    private static void initialise(RuntimeInstance instance) {
        WasmModule module = instance.module;
        ConstExprs.Context context = context(instance);
        for (int i = 0; i < module.elements().size(); i++) {
            ElementSegment segment = module.elements().get(i);
            if (segment.mode() == SegmentMode.ACTIVE) {
                long offset = ConstExprs.evaluate(segment.offset(), context);
                if (!module.tableType(segment.tableIndex()).address64()) offset &= 0xFFFF_FFFFL;
                int status = Builtins.tableInit(instance, segment.tableIndex(), i, offset, 0,
                        segment.items().size());
                if (status != 0) throw new TrapException(TrapCode.fromCode(status));
            }
            if (segment.mode() != SegmentMode.PASSIVE) instance.elementSegments[i] = new long[0];
        }
        for (int i = 0; i < module.data().size(); i++) {
            DataSegment segment = module.data().get(i);
            if (segment.mode() == SegmentMode.ACTIVE) {
                long offset = ConstExprs.evaluate(segment.offset(), context);
                if (!module.memoryType(segment.memoryIndex()).address64()) offset &= 0xFFFF_FFFFL;
                int status = Builtins.memoryInit(instance, segment.memoryIndex(), i, offset, 0, segment.length());
                if (status != 0) throw new TrapException(TrapCode.fromCode(status));
                instance.dataSegments[i] = new byte[0];
            }
        }
    }

}
