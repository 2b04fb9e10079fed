package dev.isthmus.binary;

/** The shape of an instruction's immediate operands in the binary format. */
public enum Immediate {
    /** No immediates. */
    NONE,
    /** A block type: 0x40 (empty), a value type, or a type index as s33. */
    BLOCK_TYPE,
    /** A label index (u32). */
    LABEL,
    /** A vector of label indices followed by the default label. */
    BR_TABLE,
    /** A function index (u32). */
    FUNC,
    /** A type index (u32): {@code call_ref}, {@code return_call_ref}. */
    TYPE,
    /** A type index then a table index (u32 each). */
    CALL_INDIRECT,
    /** A vector of value types (typed {@code select}). */
    SELECT_TYPES,
    /** A local index (u32). */
    LOCAL,
    /** A global index (u32). */
    GLOBAL,
    /** A table index (u32). */
    TABLE,
    /** A memory argument: alignment exponent then offset (u32 each). */
    MEMARG,
    /** A memory index; Wasm 2.0 requires the single byte 0x00 ("zero byte expected"). */
    MEMORY,
    /** An i32 constant (s32). */
    I32,
    /** An i64 constant (s64). */
    I64,
    /** An f32 constant (4 bytes, little endian). */
    F32,
    /** An f64 constant (8 bytes, little endian). */
    F64,
    /** A heap type: 0x70 func, 0x6F extern, or (typed function references) a type index as s33. */
    REF_TYPE,
    /** A data index then a memory index byte 0x00. */
    MEMORY_INIT,
    /** A data index (u32). */
    DATA,
    /** Destination then source memory index bytes (0x00 each in Wasm 2.0). */
    MEMORY_COPY,
    /** An element index then a table index (u32 each). */
    TABLE_INIT,
    /** An element index (u32). */
    ELEM,
    /** Destination then source table index (u32 each). */
    TABLE_COPY,
    /** 16 immediate bytes (v128.const). */
    V128,
    /** 16 lane index bytes (i8x16.shuffle). */
    SHUFFLE,
    /** One lane index byte. */
    LANE,
    /** A memory argument then a lane index byte. */
    MEMARG_LANE,
    /** A tag index (u32): {@code throw}, legacy {@code catch}. */
    TAG,
    /** A block type then a vector of catch clauses ({@code try_table}): kind byte, [tag index], label index. */
    TRY_TABLE
}
