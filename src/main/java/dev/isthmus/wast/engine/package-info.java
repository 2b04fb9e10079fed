/**
 * The spec test runner's {@link dev.isthmus.wast.ExecutionEngine} on top of the embedding API
 * ({@link dev.isthmus.wast.engine.IsthmusEngine}).
 */
package dev.isthmus.wast.engine;
