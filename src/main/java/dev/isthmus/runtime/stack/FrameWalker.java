package dev.isthmus.runtime.stack;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.code.CodeRange;
import dev.isthmus.runtime.code.CodeRegistry;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.trap.WasmFrameSource;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Walks the machine frames of a trapped entry, innermost first, with the unwind tables of the code they belong to
 * ({@link FrameUnwindSource}, {@link FrameUnwind}) — frame pointers are optional, so the rbp chain alone cannot be
 * followed.
 *
 * <pre>
 *   (pc, sp, fp) = (faultPc, faultSp, faultFp)                      the trapping instruction
 *   repeat:  step = owner(pc').unwindStepAt(pc')                   pc' = pc, then return address - 1
 *            CFA  = (step from rbp ? fp : sp) + offset
 *            ret  = [CFA - 8];  fp = rbp saved ? [CFA - 16] : fp;  sp = CFA;  pc = ret
 *   until    ret == the trampoline's afterTargetCall or afterDirectCall (the entry's own call), code without a table,
 *            a CFA that does not move up, or a read outside [stackLimit - RESERVE, stackTop)
 * </pre>
 *
 * The first MAX_FRAMES PCs are recorded; the wasm frames beyond them are counted, so a trap says how many frames
 * its backtrace leaves out.
 *
 * <p>Every read is checked against the entry's part of the wasm stack: from the lowest accessible byte above the
 * guard ({@code stackLimit - RESERVE}) to where the entry started ({@code stackTop}); all of it is mapped
 * read/write for as long as the stack's OS thread lives. So a wrong table or a clobbered stack gives a short or
 * wrong backtrace, never a fault.
 *
 * <p><b>Why the frames are still there when Java walks them.</b> {@link WasmCall} runs the walk right after
 * {@code enter} returned the trap status. The recovery stub left the wasm stack without writing to it (it switched
 * RSP back to the Java stack), signal frames go on the alternate signal stack, and the only code that ever writes
 * to a wasm stack is code entered through {@code enter} on that stack's OS thread. On a platform thread that
 * thread is the one walking, so nothing can enter in between. A virtual thread could only lose its carrier (letting
 * another virtual thread enter wasm on the carrier's stack, or the carrier end and its stack be freed) by
 * unmounting, which happens only when it parks: the walk does not park — it reads native memory, the registry's
 * immutable snapshot and the owners' immutable tables, takes no lock and does no I/O (class loading, if any, runs
 * under a VM frame and pins) — and JDK 25 does not preempt virtual threads on time slices.
 */
public final class FrameWalker {
    private FrameWalker() {
    }

    /**
     * The outcome of a walk: the PCs of the first {@link EntryRecord#MAX_FRAMES} machine frames, innermost first,
     * and how many wasm frames lay beyond them (counted, not recorded, so no backtrace is cut short silently).
     */
    public record Walk(long[] pcs, int omittedWasmFrames) {}

    /** Walks the frames of the trap recorded in {@code record}; element 0 of the PCs is the faulting PC. */
    static Walk walk(EntryRecord record) {
        long top = record.stackTop();
        long low = record.stackLimit() - StackGeometry.RESERVE;
        RuntimeStubs stubs = RuntimeStubs.get();
        return walkCounting(record.faultPc(), record.faultSp(), record.faultFp(), low, top,
                stubs.afterTargetCallAddress(), stubs.afterDirectCallAddress(), CodeRegistry.global());
    }

    /**
     * Walks from the state at a trapping instruction.
     *
     * @param faultPc an address inside the trapping instruction
     * @param faultSp RSP at it
     * @param faultFp RBP at it
     * @param low the lowest address that may be read
     * @param high the first address above the frames that may be read (the entry's initial RSP)
     * @param stopAt the return address that ends the walk (the entry trampoline's)
     * @param registry where the owners of code ranges are found
     * @return the PCs of the frames, innermost first: the faulting PC, then return addresses
     */
    public static long[] walk(long faultPc, long faultSp, long faultFp, long low, long high, long stopAt,
            CodeRegistry registry) {
        return walkCounting(faultPc, faultSp, faultFp, low, high, stopAt, registry).pcs();
    }

    /**
     * Like {@link #walk(long, long, long, long, long, long, CodeRegistry)}, going on past {@code MAX_FRAMES} to
     * count the wasm frames beyond (frames whose code's owner is a {@link WasmFrameSource} that knows them). The
     * walk always ends: every step moves the CFA up, within {@code [low, high)}.
     */
    public static Walk walkCounting(long faultPc, long faultSp, long faultFp, long low, long high, long stopAt,
            CodeRegistry registry) {
        return walkCounting(faultPc, faultSp, faultFp, low, high, stopAt, stopAt, registry);
    }

    /** The walk, ending at either of two return addresses (the two entries' own calls). */
    private static Walk walkCounting(long faultPc, long faultSp, long faultFp, long low, long high, long stopAt,
            long otherStop, CodeRegistry registry) {
        long[] pcs = new long[EntryRecord.MAX_FRAMES];
        pcs[0] = faultPc;
        int count = 1;
        if (low <= 0 || high <= low || high - low > StackGeometry.ALIGNMENT) {
            return new Walk(Arrays.copyOf(pcs, count), 0);      // no sane stack bounds: the faulting PC alone
        }
        MemorySegment stack = MemorySegment.ofAddress(low).reinterpret(high - low);
        long pc = faultPc;
        long sp = faultSp;
        long fp = faultFp;
        boolean returnAddress = false;
        int omitted = 0;
        // deep stacks repeat a few return addresses (recursion): remember what each one looked up to
        StepCache cache = new StepCache();
        while (true) {
            long step = returnAddress ? cache.stepAt(registry, pc) : stepAt(registry, pc);
            if (step == FrameUnwindSource.NO_STEP) break;
            long cfa = (FrameUnwind.fromRbp(step) ? fp : sp) + FrameUnwind.cfaOffset(step);
            boolean rbpSaved = FrameUnwind.rbpSaved(step);
            long lowestRead = cfa - (rbpSaved ? 16 : 8);
            if ((cfa & 7) != 0 || lowestRead < low || cfa > high || cfa <= sp) break;
            long ret = stack.get(JAVA_LONG, cfa - 8 - low);
            if (ret == stopAt || ret == otherStop) break;
            if (rbpSaved) fp = stack.get(JAVA_LONG, cfa - 16 - low);
            if (count < pcs.length) {
                pcs[count++] = ret;
            } else if (cache.isWasmFrame(registry, ret)) {
                omitted++;
            }
            pc = ret;
            sp = cfa;
            returnAddress = true;
        }
        return new Walk(Arrays.copyOf(pcs, count), omitted);
    }

    /** A small direct-mapped cache of unwind steps and wasm-frame answers by return address, for one walk. */
    private static final class StepCache {
        private static final int SIZE = 16;
        private final long[] keys = new long[SIZE];
        private final long[] steps = new long[SIZE];
        private final byte[] wasm = new byte[SIZE];                // 0 unknown, 1 no, 2 yes
        private final boolean[] filled = new boolean[SIZE];

        private int slot(long returnAddress) {
            int h = (int) (returnAddress ^ (returnAddress >>> 17));
            return h & (SIZE - 1);
        }

        private int fill(CodeRegistry registry, long returnAddress) {
            int i = slot(returnAddress);
            if (!filled[i] || keys[i] != returnAddress) {
                filled[i] = true;
                keys[i] = returnAddress;
                steps[i] = FrameWalker.stepAt(registry, returnAddress - 1);
                wasm[i] = 0;
            }
            return i;
        }

        long stepAt(CodeRegistry registry, long returnAddress) {
            return steps[fill(registry, returnAddress)];
        }

        boolean isWasmFrame(CodeRegistry registry, long returnAddress) {
            int i = fill(registry, returnAddress);
            if (wasm[i] == 0) wasm[i] = (byte) (FrameWalker.isWasmFrame(registry, returnAddress) ? 2 : 1);
            return wasm[i] == 2;
        }
    }

    private static boolean isWasmFrame(CodeRegistry registry, long returnAddress) {
        CodeRange range = registry.lookup(returnAddress - 1);
        return range != null && range.owner() instanceof WasmFrameSource source
                && source.isWasmFrame(returnAddress, true);
    }

    private static long stepAt(CodeRegistry registry, long pc) {
        CodeRange range = registry.lookup(pc);
        if (range != null && range.owner() instanceof FrameUnwindSource source) {
            return source.unwindStepAt(pc);
        }
        return FrameUnwindSource.NO_STEP;
    }
}
