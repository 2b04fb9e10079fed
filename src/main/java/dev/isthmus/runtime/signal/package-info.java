/**
 * Turning hardware faults in generated code into wasm traps, in native code only (a signal handler cannot run
 * Java), and passing every other fault to the JVM.
 *
 * <pre>
 *   fault in wasm code ──▶ kernel ──▶ shim (SignalShim, code from ShimEmitter), on the thread's alternate stack
 *                                      │  PC in FaultTables.code()?  RSP in FaultTables.stacks()?
 *                                      │  si_addr in FaultTables.faultRegions()? (SIGILL: "unreachable")
 *                        ours ◀────────┴────────▶ not ours: tail-jump to the previous (HotSpot) handler
 *                          │
 *   write TrapLanding (code, PC, address, RBP); set uc RIP = landing.recoveryPc, RSP = landing.resumeRsp,
 *   RDI = landing; return ──▶ sigreturn ──▶ recovery stub (runtime.stack) ──▶ back in Java with a trap status
 * </pre>
 *
 * The tables are {@link dev.isthmus.runtime.signal.NativeRangeTable}s: Java writes them, the shim searches them
 * with {@link dev.isthmus.runtime.signal.RangeLookupEmitter}'s routine, never waiting for the writer.
 */
package dev.isthmus.runtime.signal;
