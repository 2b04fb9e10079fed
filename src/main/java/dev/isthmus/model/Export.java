package dev.isthmus.model;

/** One entry of the export section: a name and the index of the exported entity in its index space. */
public record Export(String name, ExternKind kind, int index) {}
