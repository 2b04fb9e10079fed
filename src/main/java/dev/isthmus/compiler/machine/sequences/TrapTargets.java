package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Label;

/**
 * How a sequence raises a trap: each tier binds its own out-of-line trap sites (one per kind and function, each
 * calling the raise stub), so a sequence only asks for the label to jump to.
 */
public interface TrapTargets {
    /** The label of the out-of-line site raising {@code kind}; the tier binds it after the body. */
    Label trap(TrapCode kind);

    /**
     * Called right after the instruction a sequence is built around ({@code cvtt*}, {@code div}/{@code idiv}):
     * a tier that maps code offsets to wasm offsets records one there. Does nothing by default.
     */
    default void instructionEmitted() {}
}
