// Generates one batch of fuzz modules with binaryen's wasm-opt, compiling wasm-opt once per process.
//
// binaryen's npm wasm-opt is an Emscripten build: a 90 KB JavaScript glue plus an 11 MB wasm module embedded in it.
// Run as a command, every run compiles that module again (about 1 s of CPU, two runs per fuzz module: -ttf, then
// --fuzz-exec-before). Here the module is compiled once and each run gets a fresh instance and a fresh copy of the
// glue (in a vm context), inside a worker thread that is replaced when a run exceeds its time limit:
//
//   main thread: read wasm-opt, split glue | module bytes, compile the module once
//        |  postMessage({args})                     ^  {status, stdout, stderr}
//        v                                          |
//   worker: new vm context { Module: {arguments, instantiateWasm -> new Instance(module)}, require -> fs whose
//           fd 1 and 2 are captured, process -> argv/exitCode of this run }; the glue runs main once
//
// Usage: node generate-batch.mjs WASM_OPT DIR FIRST_INDEX STEP COUNT TIMEOUT_S TTF_ARGS_JSON FEATURE...
//   For i in 0..: index = FIRST_INDEX + i*STEP reads DIR/seed-INDEX.bin (written beforehand by campaign.sh), runs
//   `wasm-opt SEED TTF_ARGS FEATURES --denan -o DIR/P-INDEX.wasm` (P = the basename of DIR's profile prefix, given
//   as the PREFIX environment variable) and `wasm-opt MODULE FEATURES --fuzz-exec-before`, and keeps the module when
//   the reference output names an export, has no "[host limit", and is at most 64 KiB; stops after COUNT kept
//   modules or when the seeds run out. Prints "NEXT <index>" (the first index not used) at the end.
//   TTF_ARGS_JSON null: the modules DIR/P-INDEX.wasm are there already (a generator of our own made them); only
//   the reference outputs are computed.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const MARK = "findWasmBinary(){return binaryDecode('";

if (isMainThread) {
  const [wasmOpt, dir, firstArg, stepArg, countArg, timeoutArg, ttfJson, ...features] = process.argv.slice(2);
  const prefix = process.env.PREFIX;
  if (!prefix || !features.length) {
    console.error('usage: PREFIX=P node generate-batch.mjs WASM_OPT DIR FIRST STEP COUNT TIMEOUT_S TTF_JSON FEATURE...');
    process.exit(2);
  }
  const source = fs.readFileSync(wasmOpt, 'utf8');
  const start = source.indexOf(MARK);
  const end = source.indexOf("')}", start);
  if (start < 0 || end < 0) throw new Error(`${wasmOpt}: not the expected Emscripten single-file build`);
  // the literal is a JavaScript string of bytes (binaryDecode's encoding); let V8 parse it once
  const literal = vm.runInThisContext(source.substring(start + MARK.length - 1, end + 1));
  const bytes = new Uint8Array(literal.length);
  for (let i = 0; i < literal.length; i++) { const c = literal.charCodeAt(i); bytes[i] = ~c >> 8 & c; }
  const glue = (source.substring(0, start) + 'findWasmBinary(){return new Uint8Array(0)}' + source.substring(end + 3))
    .replace('if(!noInitialRun)callMain(args)', 'if(!noInitialRun)Module.__status=callMain(args)')
    .replace('createWasm().then(()=>run());', 'Module.__done=createWasm().then(()=>run());');
  if (!glue.includes('Module.__status=') || !glue.includes('Module.__done=')) throw new Error('unexpected glue');
  const module = new WebAssembly.Module(bytes);

  let worker = null;
  const spawn = () => {
    worker = new Worker(new URL(import.meta.url), { workerData: { glue, module, filename: wasmOpt } });
    worker.unref();
  };
  const run = (args, ms) => new Promise(resolve => {
    if (!worker) spawn();
    const w = worker;
    const finish = r => {
      clearTimeout(timer);
      w.off('message', finish);
      w.off('error', failed);
      resolve(r);
    };
    const failed = e => { worker = null; finish({ status: 1, stdout: '', stderr: String(e) }); };
    const timer = setTimeout(() => { w.terminate(); worker = null; finish({ status: 124, stdout: '', stderr: 'timeout' }); }, ms);
    w.on('message', finish);
    w.on('error', failed);
    w.postMessage(args);
  });

  const first = Number(firstArg), step = Number(stepArg), count = Number(countArg), timeout = Number(timeoutArg) * 1000;
  const ttf = JSON.parse(ttfJson);
  let made = 0, index = first;
  for (; made < count; index += step) {
    const seed = path.join(dir, `seed-${index}.bin`);
    const name = `${prefix}-${index}`;
    const wasm = path.join(dir, `${name}.wasm`);
    if (ttf === null) {
      if (!fs.existsSync(wasm)) break;
    } else {
      if (!fs.existsSync(seed)) break;
      const made1 = await run([seed, ...ttf, ...features, '--denan', '-o', wasm], timeout);
      fs.rmSync(seed);
      if (made1.status !== 0 || !fs.existsSync(wasm)) { fs.rmSync(wasm, { force: true }); continue; }
    }
    const ref = await run([wasm, ...features, '--fuzz-exec-before'], timeout);
    const expected = ref.stdout.split('\n').filter(l => !l.startsWith('warning:')).join('\n');
    if (ref.status !== 0 || Buffer.byteLength(expected) > 65536 || /^\[host limit/m.test(expected)
        || !/^\[fuzz-exec\] export/m.test(expected)) {
      fs.rmSync(wasm, { force: true });
      continue;
    }
    fs.writeFileSync(path.join(dir, `${name}.expected`), expected);
    made++;
  }
  console.log(`NEXT ${index}`);
  process.exit(0);
} else {
  const { glue, module, filename } = workerData;
  const realRequire = createRequire(filename);
  const script = new vm.Script(glue, { filename });
  parentPort.on('message', async args => {
    const out = [], err = [];
    const capture = (fd, data, offset, length) => {
      const chunk = typeof data === 'string' ? Buffer.from(data)
        : Buffer.from(data.buffer, data.byteOffset + (offset ?? 0), length ?? data.byteLength - (offset ?? 0));
      (fd === 1 ? out : err).push(Buffer.from(chunk));
      return chunk.length;
    };
    const realFs = realRequire('node:fs');
    const fsProxy = new Proxy(realFs, {
      get(target, key) {
        if (key === 'writeSync') {
          return (fd, data, offset, length, position) =>
            fd === 1 || fd === 2 ? capture(fd, data, offset, length) : target.writeSync(fd, data, offset, length, position);
        }
        const v = target[key];
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    let exitCode;
    const processProxy = new Proxy(process, {
      get(target, key) {
        if (key === 'argv') return [process.argv[0], filename, ...args];
        if (key === 'exitCode') return exitCode;
        const v = target[key];
        return typeof v === 'function' ? v.bind(target) : v;
      },
      set(target, key, value) {
        if (key === 'exitCode') { exitCode = value; return true; }
        target[key] = value;
        return true;
      },
    });
    const Module = {
      arguments: args,
      thisProgram: filename,
      print: line => out.push(Buffer.from(line + '\n')),
      printErr: line => err.push(Buffer.from(line + '\n')),
      instantiateWasm(imports, done) {
        done(new WebAssembly.Instance(module, imports));
        return {};
      },
    };
    const context = vm.createContext({
      Module, process: processProxy, console: { log: Module.print, error: Module.printErr, warn: Module.printErr },
      require: id => (id === 'node:fs' || id === 'fs') ? fsProxy : realRequire(id),
      __filename: filename, __dirname: path.dirname(filename),
      WebAssembly, TextDecoder, TextEncoder, URL, Buffer, setTimeout, clearTimeout, performance, crypto: globalThis.crypto,
    });
    let status;
    try {
      script.runInContext(context);
      await Module.__done;
      status = exitCode ?? Module.__status ?? 0;
    } catch (e) {
      status = exitCode ?? 1;
      if (!(e && e.name === 'ExitStatus')) err.push(Buffer.from(String(e && e.stack || e) + '\n'));
      else status = e.status;
    }
    parentPort.postMessage({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
  });
}
