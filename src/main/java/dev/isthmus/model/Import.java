package dev.isthmus.model;

/** One entry of the import section. */
public record Import(String module, String name, ImportDesc desc) {}
