package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;

/**
 * The child JVM of {@link StackSizePropertyTest}: started with {@code -Disthmus.wasmStack.size}, prints the
 * geometry, recurses {@code args[0]} levels of 64-byte frames, then overflows once; prints {@code DONE}.
 */
final class StackSizeChild {
    private StackSizeChild() {
    }

    public static void main(String[] args) {
        long depth = Long.parseLong(args[0]);
        System.out.println("size " + StackGeometry.SIZE + " alignment " + StackGeometry.ALIGNMENT);
        System.out.println("depth " + WasmCall.invoke(TestFunctions.get().recursionDepth, depth, 0, 0, 0));
        try {
            WasmCall.invoke(TestFunctions.get().recurseForever);
            System.out.println("overflow returned");
        } catch (TrapException trap) {
            System.out.println("overflow " + (trap.kind() == TrapCode.CALL_STACK_EXHAUSTED));
        }
        long sp = WasmCall.invoke(TestFunctions.get().stackPointer);
        System.out.println("top " + (StackGeometry.topOf(StackGeometry.baseOf(sp)) - sp <= 64));
        System.out.println("DONE");
    }
}
