package dev.isthmus.compiler.optimizing.regalloc;

import dev.isthmus.x64.Gpr;

import java.util.List;

/**
 * The result of register allocation: per register, its physical register encoding or its spill slot.
 *
 * @param location       per register: {@code >= 0} a physical register encoding, {@code < 0} spill slot {@code -1 - location}
 * @param spillSlots     how many spill slots the frame needs
 * @param usedCalleeSaved callee-saved registers the allocation used (the prologue saves exactly these)
 */
public record Allocation(int[] location, int spillSlots, List<Gpr> usedCalleeSaved) {
}
