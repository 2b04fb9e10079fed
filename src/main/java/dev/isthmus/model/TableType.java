package dev.isthmus.model;

/** A table's element type (a reference type) and size limits. */
public record TableType(ValType elementType, Limits limits) {}
