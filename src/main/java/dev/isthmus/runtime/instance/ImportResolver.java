package dev.isthmus.runtime.instance;

/** Finds what a module imports: the value provided as {@code module.name}, or null when there is none. */
@FunctionalInterface
public interface ImportResolver {
    ExternValue resolve(String module, String name);
}
