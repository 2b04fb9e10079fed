/**
 * Host functions: Java code that wasm calls. {@link dev.isthmus.runtime.host.HostBridge} owns the native host
 * records and the single upcall through which every host call runs on the Java stack;
 * {@link dev.isthmus.runtime.host.PendingThrowable} carries a host function's exception across the wasm frames.
 */
package dev.isthmus.runtime.host;
