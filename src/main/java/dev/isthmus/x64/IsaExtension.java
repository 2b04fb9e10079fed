package dev.isthmus.x64;

/**
 * The instruction-set extension an encoding needs (as reported by CPUID). Every {@link SimdOp} row records one for
 * its legacy (SSE) encoding and one for its VEX encoding, so that code generators can check what they emit.
 */
public enum IsaExtension {
    SSE, SSE2, SSE3, SSSE3, SSE4_1, SSE4_2, POPCNT, LZCNT, BMI1, BMI2, AVX, AVX2
}
