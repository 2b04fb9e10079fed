/**
 * Isthmus: a WebAssembly JIT compiler for the JVM. The embedding API:
 *
 * <pre>
 *   Isthmus ──compile──▶ CompiledModule ──instantiate(Imports)──▶ Instance
 *                                                                   ├─ function(name) → exact-typed MethodHandle
 *                                                                   ├─ memory / table / global(name)
 *                                                                   └─ close()
 * </pre>
 *
 * Values: i32 {@code int}, i64 {@code long}, f32 {@code float}, f64 {@code double}, funcref {@link
 * dev.isthmus.FunctionRef} (or null), externref any Object (or null); several results come back as {@code Object[]}.
 * Failures: every error a caller can handle is a {@link dev.isthmus.WasmException} (see there for the family:
 * malformed, invalid, unsupported, unlinkable, uninstantiable, {@link dev.isthmus.WasmTrap}); a host function's own
 * exception passes through unchanged.
 */
package dev.isthmus;
