package dev.isthmus.wast.engine;

/** The Java object standing for a script's {@code (ref.extern N)}: equal ids are equal references. */
record HostRef(long id) {}
