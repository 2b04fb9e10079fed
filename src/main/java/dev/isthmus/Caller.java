package dev.isthmus;

import dev.isthmus.model.ExternKind;
import dev.isthmus.runtime.instance.ExternValue;
import dev.isthmus.runtime.instance.RuntimeInstance;

/**
 * What a host function knows about the wasm code that called it: the calling {@link Instance}, its memories and
 * the user data attached to it at {@linkplain CompiledModule#instantiate(Imports, Object) instantiation}. Host
 * functions get one when they ask for it: a {@link HostFunction.WithCaller}, or a {@code MethodHandle} whose first
 * parameter is a {@code Caller} (see {@link Imports}).
 *
 * <pre>
 *   static int log(Caller caller, int ptr, int len) {
 *       String text = caller.memory("memory").readString(ptr, len);
 *       caller.data(RequestLog.class).add(text);
 *       return 0;
 *   }
 * </pre>
 *
 * <p>The calling instance is the instance that imported the host function (Imports built once may be used by many
 * instances: each call is told which one). When that instance exports the host function and another instance calls
 * it through that export or a table, the caller is still the importing instance.
 *
 * <p><b>Validity.</b> A {@code Caller} is valid only during the host call it was passed to, and only on that call's
 * thread: keeping it and using it afterwards, or from another thread, throws {@link IllegalStateException} (never
 * anything worse). What it returns is not tied to the call: a {@link Memory} or {@link Instance} obtained through it
 * stays usable as long as the instance's native state is (see {@link Instance#close()}). The caller works while the
 * instance is being closed by another thread: the call in flight keeps the native state allocated.
 *
 * <p>Not thread-safe (confined to the call's thread, as said).
 */
public final class Caller {
    private final RuntimeInstance runtime;
    private final Thread thread = Thread.currentThread();
    private boolean active = true;

    Caller(RuntimeInstance runtime) {
        this.runtime = runtime;
    }

    /** The call has returned (or thrown): the caller is no longer valid. */
    void end() {
        active = false;
    }

    /** Whether this caller may still be used: during its host call, on that call's thread. */
    public boolean isValid() {
        return active && Thread.currentThread() == thread;
    }

    private void check() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a Caller may only be used on the thread of the host call it was passed "
                    + "to (" + thread + "), not from " + Thread.currentThread());
        }
        if (!active) {
            throw new IllegalStateException("a Caller is valid only during the host call it was passed to; that "
                    + "call has returned");
        }
        if (runtime == null) throw new IllegalStateException("this host call has no calling instance");
    }

    /** The calling instance. */
    public Instance instance() {
        check();
        if (!(runtime.attached() instanceof Instance instance)) {
            throw new IllegalStateException("the calling instance is no longer reachable from Java");
        }
        return instance;
    }

    /**
     * The calling instance's exported memory {@code name}.
     *
     * @throws IllegalArgumentException when the instance exports nothing of that name, or not a memory
     */
    public Memory memory(String name) {
        check();
        ExternValue value = runtime.export(name);
        if (value == null) throw new IllegalArgumentException("the calling instance has no export named " + name);
        if (!(value instanceof ExternValue.Memory memory)) {
            throw new IllegalArgumentException("export " + name + " of the calling instance is a "
                    + kindOf(value) + ", not a " + ExternKind.MEMORY);
        }
        return wrap(memory.memory());
    }

    /**
     * The calling instance's memory 0 (the one its loads and stores use by default), exported or not.
     *
     * @throws IllegalStateException when the instance has no memory
     */
    public Memory memory() {
        check();
        if (runtime.module().memoryCount() == 0) {
            throw new IllegalStateException("the calling instance has no memory");
        }
        return wrap(runtime.memory(0));
    }

    private Memory wrap(dev.isthmus.runtime.memory.LinearMemory memory) {
        Memory value = new Memory(memory, false);
        value.exporter = runtime.attached() instanceof Instance instance ? instance : null;
        return value;
    }

    private static ExternKind kindOf(ExternValue value) {
        return switch (value) {
            case ExternValue.WasmFunction f -> ExternKind.FUNC;
            case ExternValue.HostFunction f -> ExternKind.FUNC;
            case ExternValue.Memory m -> ExternKind.MEMORY;
            case ExternValue.Table t -> ExternKind.TABLE;
            case ExternValue.Global g -> ExternKind.GLOBAL;
            case ExternValue.Tag t -> ExternKind.TAG;
        };
    }

    /** The user data attached to the calling instance ({@link Instance#userData()}), or null. */
    public Object data() {
        return instance().userData();
    }

    /**
     * The user data attached to the calling instance, as a {@code type}.
     *
     * @throws ClassCastException when it is not a {@code type} (null is returned as null)
     */
    public <T> T data(Class<T> type) {
        return type.cast(data());
    }
}
