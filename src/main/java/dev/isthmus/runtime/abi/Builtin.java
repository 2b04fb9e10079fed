package dev.isthmus.runtime.abi;

/**
 * Runtime functions that compiled code calls for work too large or too rare to inline. Each is called with the
 * System V convention (NOT the wasm ABI: r15 is preserved by them but not required), {@code rdi = vmctx} first,
 * then the listed arguments as 64-bit integers (i32 operands zero-extended, except where noted), through
 * {@code call [r15 + VmContextLayout.builtin(b)]}. Each returns a 64-bit value in rax; where the description says
 * "status", 0 means success and any other value is a {@code TrapCode.code()} that the caller must raise
 * ({@code mov edi, eax; call [r15 + raiseStub]}).
 */
public enum Builtin {
    /** {@code (delta pages) -> old size in pages, or -1}: memory 0 grows. */
    MEMORY_GROW,
    /** {@code (dst, value, length) -> status}: memory.fill on memory 0 (compiled code fills inline instead). */
    MEMORY_FILL,
    /** {@code (dst, src, length) -> status}: memory.copy on memory 0 (compiled code copies inline instead). */
    MEMORY_COPY,
    /** {@code (segment, dst, src, length) -> status}: memory.init. */
    MEMORY_INIT,
    /** {@code (segment) -> 0}: data.drop. */
    DATA_DROP,
    /** {@code (table, init element, delta) -> old size, or -1}: table.grow. */
    TABLE_GROW,
    /** {@code (table, dst, element, length) -> status}: table.fill. */
    TABLE_FILL,
    /** {@code (dst table, src table, dst, src, length) -> status}: table.copy. */
    TABLE_COPY,
    /** {@code (table, segment, dst, src, length) -> status}: table.init. */
    TABLE_INIT,
    /** {@code (segment) -> 0}: elem.drop. */
    ELEM_DROP,
    // Added with multiple memories; in the context's second array (VmContextLayout), so the first one kept its size.
    /** {@code (memory, delta pages) -> old size in pages, or -1}: memory.grow of memory 1 or above. */
    MEMORY_GROW_N,
    /** {@code (memory, segment, dst, src, length) -> status}: memory.init into memory 1 or above. */
    MEMORY_INIT_N
}
