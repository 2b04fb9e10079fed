// Runs a WASI preview1 command under node's node:wasi, the way bench/startup/first-output.sh runs
// it under isthmus: one preopened host directory as guest "/", an empty environment, argv[0] given.
// usage: node run-node.mjs MODULE.wasm ROOT_DIR ARGV0 [ARGS...]
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";

const [wasmPath, root, argv0, ...args] = process.argv.slice(2);
if (!wasmPath || !root || !argv0) {
  console.error("usage: node run-node.mjs MODULE.wasm ROOT_DIR ARGV0 [ARGS...]");
  process.exit(2);
}
const wasi = new WASI({
  version: "preview1",
  args: [argv0, ...args],
  env: {},
  preopens: { "/": root },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
