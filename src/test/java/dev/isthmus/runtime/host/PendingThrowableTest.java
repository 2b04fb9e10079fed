package dev.isthmus.runtime.host;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.runtime.abi.HostRecordLayout;
import dev.isthmus.os.NativeHeap;
import dev.isthmus.runtime.stack.RuntimeStubs;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PendingThrowableTest {
    @Test
    void parkedThrowablesAreTakenOncePerThread() throws Exception {
        IOException checked = new IOException("checked");
        PendingThrowable.park(checked);
        Thread other = new Thread(() -> assertNull(PendingThrowable.take()));
        other.start();
        other.join();
        assertSame(checked, PendingThrowable.take());
        assertNull(PendingThrowable.take());
        assertSame(checked, assertThrows(IOException.class, () -> {
            throw PendingThrowable.sneakyThrow(checked);
        }));
    }

    @Test
    void hostRecordsPointAtTheBridgeAndTheRaiseStub() {
        long record = HostBridge.newRecord(buffer -> { }, 2);
        try {
            org.junit.jupiter.api.Assertions.assertEquals(HostBridge.bridgeAddress(), NativeHeap.getLong(record + HostRecordLayout.BRIDGE));
            org.junit.jupiter.api.Assertions.assertEquals(RuntimeStubs.get().raiseAddress(), NativeHeap.getLong(record + HostRecordLayout.RAISE));
        } finally {
            HostBridge.freeRecord(record);
        }
    }
}
