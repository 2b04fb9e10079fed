package dev.isthmus.wast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatchetTest {

    @Test
    void writesAndReadsIdsIgnoringComments(@TempDir Path dir) throws Exception {
        Ratchet ratchet = new Ratchet("demo", dir.resolve("conformance/demo.passing"));
        assertEquals(Set.of(), ratchet.load());
        Path file = ratchet.write(List.of("a.wast:1 module", "a.wast:7 assert_invalid"));
        String text = Files.readString(file);
        assertTrue(text.startsWith("# Commands of the demo spec test suite that must keep passing (2 ids)."), text);
        Files.writeString(file, text + "\n   \n# later comment\nb.wast:3 assert_malformed\n");
        assertEquals(List.of("a.wast:1 module", "a.wast:7 assert_invalid", "b.wast:3 assert_malformed"),
                List.copyOf(ratchet.load()));
    }

    @Test
    void theCommittedRatchetIsOnTheClassPath() {
        assertTrue(new Ratchet("wasm-2.0", Path.of("no/such/file")).load().contains("address.wast:3 module"));
    }
}
