/**
 * Wasm instances at run time: {@link dev.isthmus.runtime.instance.Instantiator} links imports
 * ({@link dev.isthmus.runtime.instance.ImportMatcher}), fills the instance context, tables
 * ({@link dev.isthmus.runtime.instance.TableInstance}) and globals ({@link dev.isthmus.runtime.instance.GlobalCell}),
 * applies segments and runs the start function; {@link dev.isthmus.runtime.instance.FunctionCaller} calls wasm from
 * Java; {@link dev.isthmus.runtime.instance.Builtins} are the runtime functions compiled code calls.
 */
package dev.isthmus.runtime.instance;
