package dev.isthmus.model;

/** A custom section: its name and raw payload. */
public record CustomSection(String name, byte[] payload, int offset) {
    public CustomSection {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
