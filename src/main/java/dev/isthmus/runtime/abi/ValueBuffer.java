package dev.isthmus.runtime.abi;

/**
 * How values cross between Java and compiled code at entry and host-call adapters: a buffer of 16-byte slots, one
 * per value, little endian, value i at byte {@code 16 * i}. i32/f32 use the low 4 bytes, i64/f64 and references the
 * low 8, v128 all 16. Arguments are written from slot 0; on return the results are written from slot 0 (overwriting
 * the arguments). A buffer must have {@code max(params, results)} slots.
 *
 * <ul>
 * <li><b>Entry adapter</b> for a function type t ({@code long adapter(vmctx, code, buffer)}, SysV, called through
 *     the entry trampoline): loads the arguments from the buffer into their {@link WasmAbi} locations, sets r15 =
 *     vmctx, calls {@code code}, stores the results into the buffer, returns 0.</li>
 * <li><b>Host-call adapter</b> for t (called like any wasm function of type t, with r15 = the address of a host
 *     record, see {@link HostRecordLayout}): stores its arguments into a buffer on the wasm stack, calls
 *     {@code bridge(hostRecord, buffer)} (SysV, {@link HostRecordLayout#BRIDGE}), which runs the Java host function
 *     on the Java stack and returns a status (0 = ok, else a TrapCode code); on a nonzero status it raises that trap,
 *     otherwise loads the results from the buffer and returns them per {@link WasmAbi}.</li>
 * </ul>
 */
public final class ValueBuffer {
    private ValueBuffer() {}

    public static final int SLOT = 16;

    public static long offset(int index) {
        return (long) SLOT * index;
    }
}
