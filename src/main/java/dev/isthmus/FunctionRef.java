package dev.isthmus;

/**
 * A non-null wasm function reference (a {@code funcref} value) as Java sees it: opaque, comparable for identity of
 * the referenced function entry, and only meaningful while the instance it came from is open. Null stands for the
 * null reference.
 */
public final class FunctionRef {
    private final long address;

    FunctionRef(long address) {
        this.address = address;
    }

    long address() {
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionRef other && other.address == address;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address);
    }

    @Override
    public String toString() {
        return "funcref@" + Long.toHexString(address);
    }
}
