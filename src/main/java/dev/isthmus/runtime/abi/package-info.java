/**
 * The contract between compiled code and the runtime, the only part of the runtime the compiler may read: the
 * calling convention ({@link dev.isthmus.runtime.abi.WasmAbi}), the vmctx ({@link
 * dev.isthmus.runtime.abi.VmContextLayout}), func refs, tables, host records, the per-thread context and trap landing,
 * the value buffer of entries and host calls, the stack geometry that makes the stack check one instruction, unwind
 * tables ({@link dev.isthmus.runtime.abi.FrameUnwind}), canonical type ids, the runtime builtins and the trap codes
 * native code raises ({@link dev.isthmus.runtime.abi.TrapCode}). Every offset compiled code bakes in comes from a
 * {@code MemoryLayout} here.
 */
package dev.isthmus.runtime.abi;
