package dev.isthmus.wast;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReportTest {

    @Test
    void escapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", JsonReport.string("a\"b\\c\n\u0001"));
        assertEquals("\"\\ud800x\"", JsonReport.string("\ud800x"));
        assertEquals("\"\uD83D\uDE00\"", JsonReport.string("\uD83D\uDE00"));
        assertEquals("null", JsonReport.string(null));
    }

    @Test
    void countsPerFileAndKindAndListsFailures() {
        FileReport f = new FileReport("a.wast", List.of(
                CommandResult.passed("a.wast", 1, CommandKind.MODULE, null),
                CommandResult.failed("a.wast", 2, CommandKind.ASSERT_INVALID, "module validated"),
                CommandResult.skipped("a.wast", 3, CommandKind.ASSERT_RETURN, WastRunner.NO_ENGINE),
                CommandResult.passed("a.wast", 4, CommandKind.ASSERT_MALFORMED, "expected \"x\", got \"y\"")));
        assertEquals("a.wast: 2 passed, 1 failed, 1 skipped", f.summaryLine());
        String json = JsonReport.write(List.of(f));
        assertTrue(json.contains("\"totals\": {\"passed\": 2, \"failed\": 1, \"skipped\": 1}"), json);
        assertTrue(json.contains("\"assert_invalid\": {\"passed\": 0, \"failed\": 1, \"skipped\": 0}"), json);
        assertTrue(json.contains("{\"at\": \"a.wast:2\", \"kind\": \"assert_invalid\", \"message\": \"module validated\"}"),
                json);
        assertTrue(json.contains("\"note\": \"expected \\\"x\\\", got \\\"y\\\"\""), json);
    }
}
