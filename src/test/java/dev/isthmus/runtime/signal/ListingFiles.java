package dev.isthmus.runtime.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Approved listings of emitted runtime code, kept under {@code src/test/resources} and compared verbatim.
 * Re-bless after a deliberate change with {@code -Disthmus.bless=true} (run from the repository root), then review
 * the diff like code.
 *
 * <p>Addresses that differ from run to run (native tables, libc functions) are replaced by {@code <address>}.
 */
public final class ListingFiles {
    private ListingFiles() {
    }

    private static final Pattern HEX = Pattern.compile("0x[0-9A-F]+");

    /** Where the instruction text starts in a {@code Disassembler.listing} line ("0000: " + 30 columns + " "). */
    private static final int TEXT_COLUMN = 37;

    /**
     * Replaces 64-bit addresses (values in {@code [2^32, 2^47)}) in a Zydis listing, in the text and in the
     * encoded bytes (the last 8 bytes of such an instruction are its 64-bit immediate: shown as {@code ??}); small
     * values (offsets, branch targets of code listed at address 0) and negative immediates stay.
     */
    public static String normalize(String listing) {
        StringBuilder out = new StringBuilder();
        for (String line : listing.split("\n")) {
            if (line.length() <= TEXT_COLUMN) {
                out.append(line).append('\n');
                continue;
            }
            String text = line.substring(TEXT_COLUMN);
            String normalized = HEX.matcher(text).replaceAll(match -> {
                long value = Long.parseUnsignedLong(match.group().substring(2), 16);
                return value >= (1L << 32) && value < (1L << 47) ? "<address>" : match.group();
            });
            String prefix = line.substring(0, TEXT_COLUMN);
            if (!normalized.equals(text)) {
                prefix = maskImmediate64(prefix);
            }
            out.append(prefix).append(normalized).append('\n');
        }
        return out.toString();
    }

    private static String maskImmediate64(String prefix) {
        String offset = prefix.substring(0, 6);
        String[] bytes = prefix.substring(6).trim().split(" ");
        for (int i = Math.max(0, bytes.length - 8); i < bytes.length; i++) {
            bytes[i] = "??";
        }
        return offset + String.format("%-30s ", String.join(" ", bytes));
    }

    /** Compares {@code actual} with the approved resource {@code resource} (a path under src/test/resources). */
    public static void assertApproved(String resource, String actual) {
        if (Boolean.getBoolean("isthmus.bless")) {
            try {
                Path file = Path.of("src/test/resources", resource);
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (InputStream in = ListingFiles.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, "no approved listing " + resource + " (bless with -Disthmus.bless=true)");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual,
                    "listing of " + resource + " changed; review and bless with -Disthmus.bless=true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
