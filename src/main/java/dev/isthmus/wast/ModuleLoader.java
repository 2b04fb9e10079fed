package dev.isthmus.wast;

import dev.isthmus.InvalidModuleException;
import dev.isthmus.MalformedModuleException;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.script.ModuleSource;

/**
 * Takes a script's module source through the front end (text → binary → model → validated model) and says how
 * far it got. Never throws: unexpected exceptions, stack overflows and out-of-memory errors become
 * {@link ModuleLoad.Broken}.
 */
public final class ModuleLoader {
    private final FrontEnd frontEnd;

    public ModuleLoader(FrontEnd frontEnd) {
        this.frontEnd = frontEnd;
    }

    /** Only decodes (no validation): the step {@code assert_malformed} is about. */
    public ModuleLoad decode(ModuleSource source) {
        return run(source, false);
    }

    /** Decodes and validates. */
    public ModuleLoad load(ModuleSource source) {
        return run(source, true);
    }

    private ModuleLoad run(ModuleSource source, boolean validate) {
        try {
            byte[] binary = switch (source) {
                case ModuleSource.Binary b -> b.bytes();
                case ModuleSource.Text t -> frontEnd.textToBinary(t.watText());
                case ModuleSource.Quote q -> frontEnd.textToBinary(q.asModuleText());
            };
            WasmModule module = frontEnd.decode(binary);
            if (validate) frontEnd.validate(module);
            return new ModuleLoad.Loaded(module, binary);
        } catch (MalformedModuleException e) {
            return new ModuleLoad.Malformed(e);
        } catch (InvalidModuleException e) {
            return new ModuleLoad.Invalid(e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return new ModuleLoad.Broken(e);
        }
    }
}
