/**
 * Isthmus, a WebAssembly JIT compiler for the JVM. Exports only the embedding API: {@code dev.isthmus} (engine,
 * modules, instances, the {@link dev.isthmus.WasmException} family), {@code dev.isthmus.wasi}, the module-description
 * types users see ({@code dev.isthmus.model}: FuncType, ValType, ExternKind ...) and the compiler settings
 * ({@code dev.isthmus.options}). Every other package is internal, including {@code dev.isthmus.tooling}, the
 * entry point of Isthmus's own tools (CLI, spec runner, explorer).
 *
 * <p>Isthmus maps and calls native code through the foreign function and memory API: run with
 * {@code --enable-native-access=dev.isthmus} on the module path ({@code ALL-UNNAMED} on the class path).
 */
module dev.isthmus {
    requires java.management;

    exports dev.isthmus;
    exports dev.isthmus.wasi;
    exports dev.isthmus.model;
    exports dev.isthmus.options;
}
