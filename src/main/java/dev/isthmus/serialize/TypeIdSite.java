package dev.isthmus.serialize;

/**
 * Where a canonical function-type id sits in a module's machine code: the immediate of a {@code call_indirect}
 * signature check ({@code cmp qword [funcref + TYPE_ID], id}), which the loader rewrites with this process's id of
 * the same type.
 *
 * @param offset    the immediate's offset in the code
 * @param width     its width in bytes: 1 (the code was compiled with an id below 128: sign-extended imm8) or 4
 * @param typeIndex a module type index whose canonical type is the one checked
 */
public record TypeIdSite(int offset, int width, int typeIndex) {
}
