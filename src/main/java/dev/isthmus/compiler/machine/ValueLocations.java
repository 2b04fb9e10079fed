package dev.isthmus.compiler.machine;

import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.WasmAbi;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Xmm;

import java.util.List;

/**
 * Where each value of a parameter or result list lives under the {@link WasmAbi}: an integer-class value in the
 * next free integer register, a float or v128 in the next free xmm register, the rest in 8-byte stack slots numbered
 * from 0 in list order (a v128 takes two consecutive slots, its low half in the first).
 */
public final class ValueLocations {
    private final Gpr[] gprs;
    private final Xmm[] xmms;
    private final int[] stackSlots;
    private final int stackSlotCount;

    private ValueLocations(List<ValType> types, List<Gpr> intRegisters, List<Xmm> floatRegisters) {
        int n = types.size();
        gprs = new Gpr[n];
        xmms = new Xmm[n];
        stackSlots = new int[n];
        int ints = 0;
        int floats = 0;
        int slots = 0;
        for (int i = 0; i < n; i++) {
            stackSlots[i] = -1;
            if (isFloat(types.get(i))) {
                if (floats < floatRegisters.size()) xmms[i] = floatRegisters.get(floats++);
                else {
                    stackSlots[i] = slots;
                    slots += types.get(i) == ValType.V128 ? 2 : 1;
                }
            } else {
                if (ints < intRegisters.size()) gprs[i] = intRegisters.get(ints++);
                else stackSlots[i] = slots++;
            }
        }
        stackSlotCount = slots;
    }

    /** Locations of the parameters {@code types}. */
    public static ValueLocations ofParams(List<ValType> types) {
        return new ValueLocations(types, WasmAbi.INT_ARGS, WasmAbi.FLOAT_ARGS);
    }

    /** Locations of the results {@code types}. */
    public static ValueLocations ofResults(List<ValType> types) {
        return new ValueLocations(types, WasmAbi.INT_RESULTS, WasmAbi.FLOAT_RESULTS);
    }

    /** True for f32, f64 and v128 (values that live in xmm registers). */
    public static boolean isFloat(ValType type) {
        return type == ValType.F32 || type == ValType.F64 || type == ValType.V128;
    }

    /** The integer register of value {@code i}, or null. */
    public Gpr gpr(int i) {
        return gprs[i];
    }

    /** The xmm register of value {@code i}, or null. */
    public Xmm xmm(int i) {
        return xmms[i];
    }

    /** The (first) stack slot of value {@code i}, or -1 when it is in a register. */
    public int stackSlot(int i) {
        return stackSlots[i];
    }

    /** How many of the values are in stack slots. */
    public int stackSlotValues() {
        int n = 0;
        for (int s : stackSlots) if (s >= 0) n++;
        return n;
    }

    /** How many 8-byte stack slots the values take. */
    public int stackSlotCount() {
        return stackSlotCount;
    }
}
