package dev.isthmus.fuzz;

import dev.isthmus.model.ValType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison of Isthmus values with binaryen's printed values, on forms taken from real corpus output. */
class BinaryenValuesTest {

    @Test
    void integersMatchInSignedAndUnsignedReadings() {
        assertTrue(BinaryenValues.matches(ValType.I32, "-1", -1));
        assertTrue(BinaryenValues.matches(ValType.I32, "4294967295", -1));
        assertTrue(BinaryenValues.matches(ValType.I32, "-2147483648", Integer.MIN_VALUE));
        assertFalse(BinaryenValues.matches(ValType.I32, "4294967296", 0));
        assertTrue(BinaryenValues.matches(ValType.I64, "18446744073709551615", -1L));
        assertTrue(BinaryenValues.matches(ValType.I64, "-9223372036854775808", Long.MIN_VALUE));
        assertTrue(BinaryenValues.matches(ValType.I64, "9223372036854775808", Long.MIN_VALUE));
        assertFalse(BinaryenValues.matches(ValType.I64, "5", 6L));
    }

    @Test
    void floatsMatchExactlyIncludingTheSignOfZero() {
        assertTrue(BinaryenValues.matches(ValType.F32, "0.12700000405311584", 0.127f));
        assertTrue(BinaryenValues.matches(ValType.F32, "8192.771", 8192.771f));
        assertTrue(BinaryenValues.matches(ValType.F32, "3402823466385288598117041e14", Float.MAX_VALUE));
        assertTrue(BinaryenValues.matches(ValType.F64, "1797693134862315708145274e284", Double.MAX_VALUE));
        assertTrue(BinaryenValues.matches(ValType.F64, "1.61886e-319", 1.61886e-319));
        assertTrue(BinaryenValues.matches(ValType.F64, "-0", -0.0));
        assertFalse(BinaryenValues.matches(ValType.F64, "-0", 0.0));
        assertFalse(BinaryenValues.matches(ValType.F64, "0", -0.0));
        assertTrue(BinaryenValues.matches(ValType.F64, "-inf", Double.NEGATIVE_INFINITY));
        assertFalse(BinaryenValues.matches(ValType.F64, "0.18500000000000005", 0.185));
    }

    @Test
    void anyNanMatchesAnyNan() {
        assertTrue(BinaryenValues.matches(ValType.F64, "-nan:0xfffffffa8430a", Double.NaN));
        assertTrue(BinaryenValues.matches(ValType.F32, "nan:0x400000", Float.intBitsToFloat(0xFFC00001)));
        assertFalse(BinaryenValues.matches(ValType.F32, "nan", 1.0f));
    }

    @Test
    void i64LogsAreTwoI32Halves() {
        assertEquals(List.of("163", "0"), BinaryenValues.logTokens(ValType.I64, 163L));
        assertEquals(List.of("-1", "-2147483648"), BinaryenValues.logTokens(ValType.I64, 0x80000000_FFFFFFFFL));
    }

    @Test
    void expectedOutputParsesCallsLogsTrapsAndResults() {
        ExpectedRun run = ExpectedRun.parse("""
                [fuzz-exec] calling hashMemory
                [fuzz-exec] note result: hashMemory => 0
                [fuzz-exec] calling func
                [LoggingExternalInterface logging 163 0]
                [LoggingExternalInterface logging 2.5]
                [trap final > memory: 18446744071755542631 > 1048566]
                [fuzz-exec] calling func_8
                [fuzz-exec] note result: func_8 => (-2286, 32768, -57)
                [fuzz-exec] calling hangLimitInitializer
                """);
        assertEquals(null, run.instantiationTrap());
        assertEquals(List.of("hashMemory", "func", "func_8", "hangLimitInitializer"),
                run.calls().stream().map(ExpectedRun.Call::export).toList());
        assertEquals(List.of("0"), run.calls().get(0).results());
        assertEquals(List.of(List.of("163", "0"), List.of("2.5")), run.calls().get(1).logs());
        assertTrue(run.calls().get(1).trapped());
        assertEquals(List.of("-2286", "32768", "-57"), run.calls().get(2).results());
        assertFalse(run.calls().get(3).trapped());
        assertEquals(List.of(), run.calls().get(3).results());
    }
}
