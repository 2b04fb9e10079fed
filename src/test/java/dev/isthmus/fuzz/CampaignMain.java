package dev.isthmus.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The child-JVM side of {@code scripts/fuzz/campaign.sh}: checks modules ({@code NAME.wasm} with the reference
 * output {@code NAME.expected} beside it) under the whole {@link VariantMatrix} and prints one line per module.
 *
 * <pre>
 *   CampaignMain DIR [--after NAME]   every module of DIR in name order (after NAME, if given):
 *                                     "BEGIN NAME" before each module, then "RESOURCE NAME\tfinding..." when
 *                                     the module's compile time or memory grows faster than its size
 *                                     ({@link ResourceCheck}, after the matrix), then "OK NAME",
 *                                     "MISMATCH NAME\tproblem..." or "HANG NAME\tproblem" (and exit 3: the hung
 *                                     thread cannot be stopped); "END-OF-BATCH" when all are done. A JVM death
 *                                     shows as a BEGIN without result.
 *   CampaignMain --one FILE.wasm      one module (FILE.expected beside it): prints ok, mismatch or hang, exits
 *                                     0, 1 or 3 (wasm-reduce's test command).
 * </pre>
 * System property {@code isthmus.fuzz.timeoutMillis} bounds each configuration's run (default 20000).
 * {@code isthmus.fuzz.injectFault} tests the campaign pipeline itself: {@code mismatch} reports a mismatch,
 * {@code resource} a resource finding, and {@code crash} ends the JVM abruptly (exit 134, no result line), for every
 * module whose reference output logs a value. {@code isthmus.fuzz.resourceCheck=false} leaves the resource check out.
 * The resource check (RESOURCE lines) runs in the batch mode only, after each module's matrix check; the result
 * line (OK, MISMATCH) is about the matrix alone.
 */
public final class CampaignMain {
    static final String END_MARKER = "END-OF-BATCH";

    private CampaignMain() {
    }

    public static void main(String[] args) throws IOException {
        long timeout = Long.getLong("isthmus.fuzz.timeoutMillis", 20_000);
        VariantMatrix matrix = new VariantMatrix(VariantMatrix.fullMatrix(), timeout);
        if (args.length == 2 && args[0].equals("--one")) {
            FuzzCorpus.Entry entry = load(Path.of(args[1]));
            VariantMatrix.Outcome outcome = injectFault(entry, matrix.check(entry));
            System.out.println(outcome.timedOut() ? "hang" : outcome.ok() ? "ok" : "mismatch");
            System.out.flush();
            outcome.problems().forEach(System.err::println);
            System.exit(outcome.timedOut() ? 3 : outcome.ok() ? 0 : 1);
        }
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--after"))) {
            System.err.println("usage: CampaignMain DIR [--after NAME] | --one FILE.wasm");
            System.exit(2);
        }
        String after = args.length == 3 ? args[2] : null;
        ResourceCheck resources = Boolean.parseBoolean(System.getProperty("isthmus.fuzz.resourceCheck", "true"))
                ? new ResourceCheck() : null;
        List<Path> modules;
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            modules = files.filter(p -> p.getFileName().toString().endsWith(".wasm")).sorted().toList();
        }
        for (Path wasm : modules) {
            String name = name(wasm);
            if (after != null && name.compareTo(after) <= 0) continue;
            System.out.println("BEGIN " + name);
            System.out.flush();
            VariantMatrix.Outcome outcome;
            FuzzCorpus.Entry entry = null;
            try {
                entry = load(wasm);
                outcome = injectFault(entry, matrix.check(entry));
            } catch (RuntimeException | Error e) {
                outcome = new VariantMatrix.Outcome(List.of("harness: " + e), false);
            }
            if (resources != null && entry != null && !outcome.timedOut()) {
                List<String> findings = resourceFindings(resources, entry);
                if (!findings.isEmpty()) {
                    System.out.println("RESOURCE " + name + "\t" + String.join(" | ", findings).replace('\n', ' '));
                }
            }
            String detail = String.join(" | ", outcome.problems()).replace('\n', ' ');
            if (detail.length() > 2000) detail = detail.substring(0, 2000) + "...";
            System.out.println((outcome.timedOut() ? "HANG " : outcome.ok() ? "OK " : "MISMATCH ") + name
                    + (outcome.ok() ? "" : "\t" + detail));
            System.out.flush();
            if (outcome.timedOut()) System.exit(3);
        }
        System.out.println(END_MARKER);
        System.out.flush();
        System.exit(0);
    }

    /**
     * The resource property ({@link ResourceCheck}, every doubling at both tiers) of a module that decodes and
     * validates: one line per ratio over the limits, or the check's failure (a doubling that does not validate);
     * {@code isthmus.fuzz.injectFault=resource} adds one, for every module whose reference output logs a value.
     */
    private static List<String> resourceFindings(ResourceCheck resources, FuzzCorpus.Entry entry) {
        List<String> findings = new java.util.ArrayList<>();
        try {
            dev.isthmus.validate.Validator.validate(dev.isthmus.binary.ModuleDecoder.decode(entry.wasm()));
        } catch (RuntimeException e) {
            return findings;                                  // not a valid module: nothing to scale
        }
        try {
            findings.addAll(resources.check(entry.wasm()).problems());
        } catch (RuntimeException | Error e) {
            findings.add("resource check: " + e);
        }
        if (System.getProperty("isthmus.fuzz.injectFault", "").equals("resource")
                && entry.expected().contains("[LoggingExternalInterface logging")) {
            findings.add("injected fault (isthmus.fuzz.injectFault=resource)");
        }
        return findings;
    }

    /** The fault {@code isthmus.fuzz.injectFault} asks for on {@code entry}, applied: a crash never returns. */
    private static VariantMatrix.Outcome injectFault(FuzzCorpus.Entry entry, VariantMatrix.Outcome outcome) {
        String fault = System.getProperty("isthmus.fuzz.injectFault", "");
        if (fault.isEmpty() || fault.equals("resource")
                || !entry.expected().contains("[LoggingExternalInterface logging")) {
            return outcome;
        }
        if (fault.equals("crash")) {
            System.out.flush();
            Runtime.getRuntime().halt(134);
        }
        return new VariantMatrix.Outcome(List.of("injected fault (isthmus.fuzz.injectFault)"), false);
    }

    private static String name(Path wasm) {
        String file = wasm.getFileName().toString();
        return file.substring(0, file.length() - ".wasm".length());
    }

    private static FuzzCorpus.Entry load(Path wasm) throws IOException {
        String name = name(wasm);
        return new FuzzCorpus.Entry(name, Files.readAllBytes(wasm),
                Files.readString(wasm.resolveSibling(name + ".expected"), StandardCharsets.UTF_8));
    }
}
