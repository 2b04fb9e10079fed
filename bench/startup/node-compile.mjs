// Times V8's compilation of a module in this (fresh) node process: WebAssembly.compile of the bytes
// already read, milliseconds around the call alone. What it measures depends on node's V8 options:
// by default (node 20) functions are validated up front but compiled lazily on first call; with
// --no-wasm-lazy-compilation every function is compiled by Liftoff before the promise resolves
// (TurboFan later, only for hot functions, under dynamic tiering).
// usage: node [V8 OPTIONS] node-compile.mjs MODULE.wasm
import { readFile } from "node:fs/promises";

const path = process.argv[2];
if (!path) {
  console.error("usage: node [V8 OPTIONS] node-compile.mjs MODULE.wasm");
  process.exit(2);
}
const bytes = await readFile(path);
const start = performance.now();
await WebAssembly.compile(bytes);
console.log(`compile ${(performance.now() - start).toFixed(1)} ms`);
