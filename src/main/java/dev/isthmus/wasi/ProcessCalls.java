package dev.isthmus.wasi;

/** {@code proc_exit} (throws {@link WasiExit}), {@code proc_raise} (ENOSYS, as other runtimes), {@code sched_yield}. */
final class ProcessCalls {
    private ProcessCalls() {
    }

    static void register(WasiFunctions f) {
        f.defineVoid("proc_exit", "i", args -> {
            throw new WasiExit((Integer) args[0]);
        });
        f.define("proc_raise", "i", (m, a) -> Errno.NOSYS);
        f.define("sched_yield", "", (m, a) -> {
            Thread.yield();
            return Errno.SUCCESS;
        });
    }
}
