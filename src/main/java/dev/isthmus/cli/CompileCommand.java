package dev.isthmus.cli;

import dev.isthmus.CompiledModule;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmException;
import dev.isthmus.options.CompilerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code isthmus compile [OPTIONS] MODULE.wasm|MODULE.wat [-o OUT.ism]}: compiles a module and writes it as a code
 * file (as {@code wasmtime compile} writes a {@code .cwasm}), which {@code isthmus run OUT.ism} loads without
 * compiling. The code file is bound to this build of Isthmus, the compiler options given here (run it with the
 * same ones) and this machine's CPU features.
 */
final class CompileCommand {
    private CompileCommand() {
    }

    static final String USAGE = """
            usage: isthmus compile [OPTIONS] MODULE.wasm|MODULE.wat [-o OUT.ism]
              writes the compiled module as a code file (default: MODULE with the extension .ism), which
              'isthmus run OUT.ism' loads without compiling; run it with the same compiler options
              -o FILE                             the code file to write
              -W fuel=N                           compile with fuel metering (as run -W fuel; N is not stored)
              --stack-size BYTES                  the wasm stack size the code is compiled for (as run)
            """ + CompilerFlags.USAGE;

    static int run(String[] args, PrintStream out, PrintStream err) {
        CompilerOptions options = CompilerOptions.DEFAULT;
        Path input = null;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String word = args[i];
            String option = word;
            String value = null;
            if (word.startsWith("--") && word.indexOf('=') > 2) {
                option = word.substring(0, word.indexOf('='));
                value = word.substring(word.indexOf('=') + 1);
            } else if ((word.startsWith("-W") || word.startsWith("-C")) && word.length() > 2) {
                option = word.substring(0, 2);
                value = word.substring(2);
            }
            boolean takesValue = option.equals("-o") || option.equals("--output") || option.equals("-W")
                    || option.equals("--wasm") || option.equals("--stack-size") || CompilerFlags.isFlag(option);
            if (word.equals("-h") || word.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (!word.startsWith("-") || word.equals("-")) {
                if (input != null) throw new UsageException("more than one module given: " + input + ", " + word);
                input = Path.of(word);
                continue;
            }
            if (!takesValue) throw new UsageException("unknown option " + word);
            if (value == null) {
                if (++i >= args.length) throw new UsageException(option + " needs a value");
                value = args[i];
            }
            switch (option) {
                case "-o", "--output" -> output = Path.of(value);
                case "--stack-size" -> System.setProperty(RunCommand.WASM_STACK_PROPERTY,
                        Long.toString(RunCommand.stackSize("--stack-size", value)));
                case "-W", "--wasm" -> {
                    for (String item : value.split(",", -1)) {
                        if (!item.startsWith("fuel=")) {
                            throw new UsageException("unknown -W option " + item + " (compile knows fuel)");
                        }
                        try {
                            if (Long.parseLong(item.substring(5)) < 0) throw new NumberFormatException();
                        } catch (NumberFormatException e) {
                            throw new UsageException("-W fuel takes a number of units, not " + item.substring(5));
                        }
                        options = options.withFuel(true);
                    }
                }
                default -> options = CompilerFlags.apply(options, option, value);
            }
        }
        if (input == null) throw new UsageException("no module given");
        if (output == null) {
            String name = input.getFileName().toString();
            int dot = name.lastIndexOf('.');
            output = input.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".ism");
        }
        Isthmus engine = RunCommand.engine(options);
        try {
            CompiledModule module = engine.compile(ModuleFiles.read(input));
            module.serialize(output);
        } catch (WasmException e) {
            throw new CommandFailure(Main.FAILURE, input + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CommandFailure(Main.FAILURE, output + ": cannot write: " + e.getMessage());
        }
        return 0;
    }
}
