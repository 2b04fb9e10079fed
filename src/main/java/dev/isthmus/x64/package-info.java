/**
 * A pure-Java x86-64 assembler: it turns calls such as {@code asm.mov(QWORD, RAX, Mem.of(RSP, 8))} into machine
 * code bytes, and nothing else (no prologues, idioms or register allocation; those belong to the compiler).
 *
 * <h2>Pieces</h2>
 * <pre>
 *   Assembler ── thin named entry points (Intel order: destination first)
 *      │            uses encodings kept as data:
 *      │            Opcodes (single forms), AluOp, ShiftOp, UnaryOp, BitOp, SseOp (families),
 *      │            SimdOp (128-bit SIMD: one row per form, legacy SSE and VEX, with its IsaExtension)
 *      ▼
 *   Encoder ──── a handful of operand-form emitters: register-direct (ModRM mod=11), memory,
 *      │           register-in-opcode, no-operand, VEX; owns prefix order, REX/VEX and the byte-register rules
 *      ▼
 *   Mem.encode ─ the one place for ModRM/SIB/displacement special cases (rsp/r12, rbp/r13, no base, RIP)
 *      ▼
 *   CodeBuffer ─ growable little-endian bytes with patching;  Label = position + patch sites
 *   ConstantPool ─ 4/8/16-byte constants after the code, reached with Mem.rip(label)
 * </pre>
 *
 * <h2>Instruction layout</h2>
 * <pre>
 *   [F0] [66] [F2|F3] [REX=0100WRXB] [0F [38|3A]] opcode [ModRM] [SIB] [disp8|disp32] [imm8|16|32|64]
 *   C5 [R' vvvv' L pp] opcode ...              two-byte VEX: map 0F, no REX.X/REX.B, W = 0
 *   C4 [R' X' B' mmmmm] [W vvvv' L pp] opcode ...   three-byte VEX otherwise (' = inverted; L = 0: 128-bit)
 * </pre>
 *
 * The package depends on nothing else in Isthmus. Every form is checked by the tests against GNU as (golden bytes)
 * and Zydis (exhaustive round trip).
 */
package dev.isthmus.x64;
