package dev.isthmus;

import dev.isthmus.model.FuncType;
import dev.isthmus.runtime.instance.ExternValue;

/**
 * Tests' way to call a {@link FunctionRef} from Java (the API has none): binaryen's fuzzing host
 * ({@code fuzzing-support.call-ref}) calls the function a reference names, the way JavaScript calls a wasm function.
 * Only references to the given instance's own entries (its imports and its functions) are found.
 */
public final class FunctionRefCalls {
    private FunctionRefCalls() {
    }

    /** The index of the function {@code ref} refers to in {@code instance}'s module, or -1 if it is none of them. */
    public static int functionIndex(Instance instance, FunctionRef ref) {
        instance.checkOpen();
        int count = instance.runtime().module().functionCount();
        for (int i = 0; i < count; i++) {
            if (instance.runtime().funcRef(i) == ref.address()) return i;
        }
        return -1;
    }

    /** The signature of function {@code index} of {@code instance}'s module. */
    public static FuncType type(Instance instance, int index) {
        return instance.runtime().module().functionType(index);
    }

    /** Calls function {@code index} of {@code instance} with Java values, as {@link Instance#call} calls an export. */
    public static Object[] call(Instance instance, int index, Object... args) {
        instance.checkOpen();
        ExternValue.WasmFunction f = instance.runtime().function(index);
        ExternValue.WasmFunction owned = new ExternValue.WasmFunction(f.funcRef(), f.type(), f.adapters(),
                f.typeIndex(), instance);
        return new ExportedFunction("function " + index, owned, instance).call(args);
    }
}
