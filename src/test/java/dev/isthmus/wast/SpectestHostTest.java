package dev.isthmus.wast;

import dev.isthmus.model.ValType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SpectestHostTest {

    @Test
    void printFunctionsAreExactlyTypedAndPrintValueColonType() throws Throwable {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SpectestHost host = new SpectestHost(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        host.function("print").handle().invokeExact();
        host.function("print_i32").handle().invokeExact(-7);
        host.function("print_i64").handle().invokeExact(1L << 40);
        host.function("print_f32").handle().invokeExact(1.5f);
        host.function("print_f64").handle().invokeExact(Double.NaN);
        host.function("print_i32_f32").handle().invokeExact(1, Float.NEGATIVE_INFINITY);
        host.function("print_f64_f64").handle().invokeExact(0.25, -2.0);
        assertEquals("""
                -7 : i32
                1099511627776 : i64
                1.5 : f32
                nan : f64
                1 : i32
                -inf : f32
                0.25 : f64
                -2.0 : f64
                """, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void describesTheSpectestModule() {
        SpectestHost host = new SpectestHost();
        assertEquals(7, host.functions().size());
        assertEquals(new Value.Num(ValType.I32, 666), host.global("global_i32").value());
        assertEquals(new Value.Num(ValType.I64, 666), host.global("global_i64").value());
        assertEquals(666.6f, Float.intBitsToFloat((int) host.global("global_f32").value().bits()));
        assertEquals(666.6, Double.longBitsToDouble(host.global("global_f64").value().bits()));
        assertFalse(host.global("global_f64").type().mutable());
        assertEquals(ValType.FUNCREF, host.table().type().elementType());
        assertEquals(10, host.table().type().limits().min());
        assertEquals(20, host.table().type().limits().max());
        assertEquals(1, host.memory().type().limits().min());
        assertEquals(2, host.memory().type().limits().max());
    }
}
