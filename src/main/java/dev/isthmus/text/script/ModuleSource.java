package dev.isthmus.text.script;

/**
 * Where a module in a script comes from. Text modules are kept as text and parsed only when the command that
 * holds them runs, so a malformed text module is reported by the assertion that contains it.
 */
public sealed interface ModuleSource {

    /** A {@code (module ...)} in the text format; {@code watText} is the whole form, parentheses included. */
    record Text(String watText) implements ModuleSource {}

    /** A {@code (module binary "...")}: the concatenated string bytes. */
    record Binary(byte[] bytes) implements ModuleSource {}

    /**
     * A {@code (module quote "...")}: the concatenated strings, which form the module's fields in text format
     * (without the surrounding {@code (module ...)}); see {@link #asModuleText()}.
     */
    record Quote(String text) implements ModuleSource {
        /** The quoted text wrapped as a complete {@code (module ...)} form. */
        public String asModuleText() {
            return dev.isthmus.text.Wat.quotedModuleText(text);
        }
    }
}
