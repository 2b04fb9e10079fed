// The exception-handling benchmark under node (V8): node bench/v8/exceptions.mjs bench/exceptions/eh.wasm N CALLS
// prints, per export, the median ns per iteration over CALLS calls of f(N) after 20 warm-up calls. node 20's V8
// runs the legacy form (try/catch); try_table and exnref need a newer V8 (the exports using them are skipped when
// the module does not compile: then bench/exceptions/eh-legacy.wasm is used).
import fs from 'fs';
const [file, nArg, iters] = process.argv.slice(2);
const n = Number(nArg);
let instance;
try {
  ({ instance } = await WebAssembly.instantiate(fs.readFileSync(file)));
} catch (e) {
  const legacy = file.replace(/\.wasm$/, '-legacy.wasm');
  console.log('(' + file + ': ' + e.message + '; using ' + legacy + ')');
  ({ instance } = await WebAssembly.instantiate(fs.readFileSync(legacy)));
}
for (const [name, f] of Object.entries(instance.exports)) {
  const size = name.includes('throw') ? Math.floor(n / 10) : n;
  let r; for (let i = 0; i < 20; i++) r = f(size);
  const times = [];
  for (let k = 0; k < Number(iters); k++) { const t0 = process.hrtime.bigint(); r = f(size); times.push(Number(process.hrtime.bigint() - t0)); }
  times.sort((a, b) => a - b);
  console.log(name.padEnd(16), 'ns/iter=' + (times[times.length >> 1] / size).toFixed(2), 'result=' + (r >>> 0));
}
