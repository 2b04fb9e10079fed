/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}s, issue #16). Each class is named {@code *FuzzTargetTest};
 * its seeds live in {@code src/test/resources/<package>/<Class>Inputs/<method>/}. A plain test run (no
 * {@code JAZZER_FUZZ}) replays those seeds only (regression mode); {@code scripts/fuzz/jazzer.sh TARGET MINUTES}
 * fuzzes one target. The compiler target lives in {@code dev.isthmus.fuzz} (it reuses the binaryen host) and the
 * assembler target in {@code dev.isthmus.x64} (it reuses the round-trip test's expected-text helpers).
 */
package dev.isthmus.fuzz.jazzer;
