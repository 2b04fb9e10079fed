package dev.isthmus.model;

/** A global defined by the module, with its initialiser. */
public record Global(GlobalType type, ConstExpr init) {}
