/**
 * The immutable module model every layer shares: {@link dev.isthmus.model.WasmModule} and its parts (types,
 * imports, exports, globals, segments, function bodies as raw code, the name section). Built by the front end
 * ({@link dev.isthmus.binary}, {@link dev.isthmus.text}), checked by {@link dev.isthmus.validate}, read by the compiler
 * and the runtime. Exported by the module: {@link dev.isthmus.model.FuncType}, {@link dev.isthmus.model.ValType} and
 * {@link dev.isthmus.model.ExternKind} appear in the API. Imports nothing else of Isthmus.
 *
 * <p>{@link dev.isthmus.model.ValType} holds the reference types of typed function references
 * ({@code (ref null? $t)}) as interned instances beside the 2.0 constants, {@code kind()} being their run-time
 * representation; {@link dev.isthmus.model.WasmVersion} says which version's rules the front end applies.
 */
package dev.isthmus.model;
