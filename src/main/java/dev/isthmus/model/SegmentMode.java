package dev.isthmus.model;

/** How an element or data segment is used: copied at instantiation (active), on demand (passive), or only declared. */
public enum SegmentMode {
    ACTIVE,
    PASSIVE,
    /** Element segments only: declares functions for {@code ref.func}; dropped at instantiation. */
    DECLARATIVE
}
