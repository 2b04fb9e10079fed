// A kernel of bench/kernels under node (V8): node bench/v8/kernel.mjs bench/kernels/wasm/K.wasm N CALLS
// prints the median wall time of CALLS calls of run(N) after 20 warm-up calls (WASI imports stubbed: output counted, not printed).
import fs from 'fs';
const [file, nArg, iters] = process.argv.slice(2);
const n = Number(nArg);
const bytes = fs.readFileSync(file);
let mem;
const wasi = new Proxy({}, { get: (_, name) => (...args) => {
  if (name === 'fd_write') { // count bytes only
    const v = new DataView(mem.buffer); let [fd, iovs, cnt, nw] = args; let t = 0;
    for (let i = 0; i < cnt; i++) t += v.getUint32(iovs + 8*i + 4, true);
    v.setUint32(nw, t, true); return 0; }
  if (name === 'proc_exit') throw new Error('exit ' + args[0]);
  return 0; } });
const { instance } = await WebAssembly.instantiate(bytes, { wasi_snapshot_preview1: wasi });
mem = instance.exports.memory;
const run = instance.exports.run;
let r; for (let i = 0; i < 20; i++) r = run(n); // warm-up
const times = [];
for (let k = 0; k < Number(iters); k++) { const t0 = process.hrtime.bigint(); r = run(n); times.push(Number(process.hrtime.bigint() - t0) / 1000); }
times.sort((a, b) => a - b);
console.log(file.split('/').pop(), 'n=' + n, 'median_us=' + times[times.length >> 1].toFixed(1), 'result=' + (r >>> 0));
