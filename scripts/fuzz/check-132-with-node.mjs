// The V8 oracle for the binaryen-132 corpora (issue #16, oracle 3): runs each corpus module in Node's V8 the way
// binaryen 132's --fuzz-exec runs it, with a host implementing the same fuzzing-support imports as the test host
// (src/test/java/dev/isthmus/fuzz/BinaryenHost.java), and compares what V8 does with the committed reference output
// NNNN.expected (which Isthmus is checked against in CI), by the rules of DifferentialRun: integers modulo 2^bits,
// floats exactly with the sign of zero, any NaN matches any NaN, references as null / function / externref(N),
// trap messages not compared. (scripts/fuzz/check-with-node.mjs does the same for the binaryen-108 corpus.)
//
// Usage (Node 20, V8 11.3):
//   node --experimental-wasm-type-reflection --experimental-wasm-memory64 --experimental-wasm-extended-const \
//     scripts/fuzz/check-132-with-node.mjs [--sample N] [--verbose] [PROFILE|DIR ...]
// PROFILE: a name of scripts/fuzz/profiles.tsv (default: all of them); --sample N: N modules evenly spaced over each
// corpus (default: every module). Per corpus it prints: modules, run, agree, disagree, not run; then each reason a
// module was not run (V8 refused to compile or link it: a feature this V8 does not have) with its count, and each
// disagreement. Exit status 1 when a module disagrees.
//
// What JavaScript cannot do is done in wasm: a v128 cannot cross the JS boundary, so log-v128 is a function of a
// helper module (it passes the four i32 lanes to JavaScript), and an export whose signature has a v128 (or a v128
// global) is called (read) through a helper module made for its signature, which passes zeros and returns the v128s
// as four i32 lanes each. A JavaScript error of the host is what binaryen models it as: an exception of the host's
// tag jstag (param externref), which is also what a TypeError of the JS API inside call-export becomes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { matchInt, matchFloat } from './node-values.mjs';

const root = new URL('../../', import.meta.url).pathname;
let sample = 0, verbose = false;
const targets = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--sample') sample = Number(process.argv[++i]);
  else if (a === '--verbose') verbose = true;
  else targets.push(a);
}
const profiles = readFileSync(join(root, 'scripts/fuzz/profiles.tsv'), 'utf8').split('\n')
  .filter(l => l && !l.startsWith('#')).map(l => l.split('\t')).map(([name, dir]) => ({ name, dir }));
const corpora = (targets.length ? targets : profiles.map(p => p.name)).map(t => {
  const p = profiles.find(p => p.name === t);
  return p ? { name: p.name, dir: join(root, p.dir) } : { name: t, dir: t };
});

// ------------------------------------------------------------------ the reference output (ExpectedRun.parse)
function parseExpected(text) {
  const run = { instantiationTrap: null, instantiationLogs: [], calls: [] };
  let call = null, afterResult = false;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (!line.startsWith('[')) { if (afterResult) call.results.push(line.trim()); continue; }
    afterResult = false;
    if (line.startsWith('[fuzz-exec] export ')) {
      call = { name: line.substring(19).trim(), logs: [], trap: null, exception: null, results: [] };
      run.calls.push(call);
    } else if (line.startsWith('[LoggingExternalInterface logging')) {
      const v = line.substring(33, line.length - 1).trim();
      (call ? call.logs : run.instantiationLogs).push(v === '' ? [] : v.split(' '));
    } else if (line.startsWith('[trap ')) {
      if (call) call.trap = line; else run.instantiationTrap = line;
    } else if (line.startsWith('[exception thrown: ')) {
      call.exception = line.substring(19, line.length - 1);
    } else if (line.startsWith('[fuzz-exec] note result: ')) {
      const v = line.substring(line.indexOf(' => ') + 4).trim();
      call.results = v.startsWith('(') && v.endsWith(')') ? v.slice(1, -1).split(',').map(s => s.trim()) : [v];
      afterResult = true;
    } else if (!line.startsWith('[fuzz-exec] comparing')) {
      throw new Error('unexpected line: ' + line);
    }
  }
  return run;
}

// ------------------------------------------------------------------ values (BinaryenValues.matches)
class Extern {                        // an externref of the host: binaryen prints externref(payload)
  constructor(payload) { this.payload = payload; }
}
class JsError {}                      // the payload of a JavaScript error (jstag's externref)
const JS_ERROR = new JsError();

function matchV128(printed, lanes) {
  const w = printed.trim().split(' ');
  return w.length === 5 && w[0] === 'i32x4' && lanes.every((l, k) => (parseInt(w[k + 1], 16) >>> 0) === (l >>> 0));
}
function matches(type, token, value) {
  switch (type) {
    case 'i32': return matchInt(token, value, 32);
    case 'i64': return matchInt(token, value, 64);
    case 'f32': return matchFloat(token, value, true);
    case 'f64': return matchFloat(token, value, false);
    case 'v128': return matchV128(token, value);
    default:                                         // references
      if (token === 'null') return value === null;
      if (token === 'function') return typeof value === 'function';
      if (/^externref\(\d+\)$/.test(token)) return value instanceof Extern && token === `externref(${value.payload})`;
      return true;
  }
}
function logMatches([type, value], tokens) {
  if (type === 'i64') {
    return tokens.length === 2 && matchInt(tokens[0], BigInt.asIntN(32, value), 32)
      && matchInt(tokens[1], BigInt.asIntN(32, value >> 32n), 32);
  }
  if (type === 'v128') return matchV128(tokens.join(' '), value);
  return tokens.length === 1 && matches(type, tokens[0], value);
}
const show = ([type, v]) => type + ' ' + (type === 'v128' ? 'i32x4 ' + v.map(l => '0x' + (l >>> 0).toString(16)).join(' ')
  : v instanceof Extern ? `externref(${v.payload})` : typeof v === 'function' ? 'function' : String(v));

// ------------------------------------------------------------------ helper modules (a v128 in JavaScript's place)
const uleb = n => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const vec = items => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const name = s => vec([...Buffer.from(s)].map(b => [b]));
const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, anyfunc: 0x70, externref: 0x6f };
const ZERO = { i32: [0x41, 0], i64: [0x42, 0], f32: [0x43, 0, 0, 0, 0], f64: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  v128: [0xfd, 0x0c, ...new Array(16).fill(0)], funcref: [0xd0, 0x70], anyfunc: [0xd0, 0x70], externref: [0xd0, 0x6f] };
const valtype = t => { if (!(t in VALTYPE)) throw new Error('no encoding for ' + t); return VALTYPE[t]; };
const functype = (params, results) => [0x60, ...vec(params.map(t => [valtype(t)])), ...vec(results.map(t => [valtype(t)]))];
const widen = types => types.flatMap(t => t === 'v128' ? ['i32', 'i32', 'i32', 'i32'] : [t]);
/** A module: types, imports [{module, name, desc bytes}], functions [{type, locals, body}], exports [{name, index}]. */
function emit({ types, imports, functions, exports }) {
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(2, vec(imports.map(i => [...name(i.module), ...name(i.name), ...i.desc]))),
    ...section(3, vec(functions.map(f => uleb(f.type)))),
    ...section(7, vec(exports.map(e => [...name(e.name), 0, ...uleb(e.index)]))),
    ...section(10, vec(functions.map(f => {
      const body = [...vec(f.locals.map(t => [1, valtype(t)])), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    })))]);
}
/** log-v128 as a wasm function: its four i32 lanes go to lanesToJs. */
function logV128(lanesToJs) {
  const bytes = emit({ types: [functype(['i32', 'i32', 'i32', 'i32'], []), functype(['v128'], [])],
    imports: [{ module: 'js', name: 'log', desc: [0, 0] }],
    functions: [{ type: 1, locals: [], body: [0, 1, 2, 3].flatMap(k => [0x20, 0, 0xfd, 0x1b, k]).concat([0x10, 0]) }],
    exports: [{ name: 'log-v128', index: 1 }] });
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { js: { log: lanesToJs } }).exports['log-v128'];
}
/** A JavaScript function calling fn (params, results) with zeros, returning each v128 result as four i32s. */
function v128Caller(fn, params, results) {
  const body = [...params.flatMap(t => ZERO[t]), 0x10, 0];
  for (let k = results.length - 1; k >= 0; k--) body.push(0x21, ...uleb(k));
  results.forEach((t, k) => {
    if (t !== 'v128') body.push(0x20, ...uleb(k));
    else for (let l = 0; l < 4; l++) body.push(0x20, ...uleb(k), 0xfd, 0x1b, l);   // local.get, i32x4.extract_lane
  });
  const bytes = emit({ types: [functype(params, results), functype([], widen(results))],
    imports: [{ module: 'm', name: 'f', desc: [0, 0] }], functions: [{ type: 1, locals: results, body }],
    exports: [{ name: 'w', index: 1 }] });
  const w = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { f: fn } }).exports.w;
  return () => regroup(w(), results);
}
/** A JavaScript function reading a v128 global as four i32 lanes. */
function v128Reader(global, mutable) {
  const bytes = emit({ types: [functype([], ['i32', 'i32', 'i32', 'i32'])],
    imports: [{ module: 'm', name: 'g', desc: [3, 0x7b, mutable ? 1 : 0] }],
    functions: [{ type: 0, locals: [], body: [0, 1, 2, 3].flatMap(k => [0x23, 0, 0xfd, 0x1b, k]) }],
    exports: [{ name: 'r', index: 0 }] });
  return () => new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { g: global } }).exports.r();
}
/** The widened results of a helper, regrouped: each v128 as its array of four lanes. */
function regroup(values, results) {
  const flat = widen(results).length === 1 ? [values] : values;
  const out = [];
  let i = 0;
  for (const t of results) { if (t === 'v128') { out.push(flat.slice(i, i + 4)); i += 4; } else out.push(flat[i++]); }
  return out;
}

// ------------------------------------------------------------------ the host (BinaryenHost)
class Host {
  constructor(module) {
    this.module = module;
    this.instance = null;                             // null while the start function runs: no exports yet
    this.logs = [];
    this.wasmTag = new WebAssembly.Tag({ parameters: ['i32'] });
    this.jsTag = new WebAssembly.Tag({ parameters: ['externref'] });
  }
  jsError() { return new WebAssembly.Exception(this.jsTag, [JS_ERROR]); }
  /** fn called as JavaScript calls it with zeros (an i64 parameter gets the number 0: a TypeError, as binaryen models). */
  callAsJs(fn, type) {
    try {
      return fn(...type.parameters.map(t => t === 'i32' || t === 'f32' || t === 'f64' || t === 'i64' ? 0 : null));
    } catch (e) {
      if (e instanceof TypeError) throw this.jsError();  // the JS API refused the call: a JavaScript error
      throw e;
    }
  }
  callExport(index) {
    if (!this.instance) throw this.jsError();
    const exports = WebAssembly.Module.exports(this.module);
    if (index < 0 || index >= exports.length || exports[index].kind !== 'function') throw this.jsError();
    return this.callAsJs(this.instance.exports[exports[index].name], exports[index].type);
  }
  callRef(ref) {
    if (ref === null) throw this.jsError();
    return this.callAsJs(ref, WebAssembly.Function.type(ref));
  }
  table(index) {
    if (!this.instance || !(this.instance.exports.table instanceof WebAssembly.Table)) throw this.jsError();
    const table = this.instance.exports.table;
    if ((index >>> 0) >= table.length) throw this.jsError();
    return table;
  }
  imports() {
    const catching = f => { try { f(); return 0; } catch (e) { if (e instanceof WebAssembly.Exception) return 1; throw e; } };
    const log = type => v => { this.logs.push([type, v]); };
    const support = {
      'log-i32': log('i32'), 'log-i64': log('i64'), 'log-f32': log('f32'), 'log-f64': log('f64'),
      'log-v128': logV128((a, b, c, d) => { this.logs.push(['v128', [a, b, c, d]]); }),
      'call-export': i => { this.callExport(i); },
      'call-export-catch': i => catching(() => this.callExport(i)),
      'call-ref': r => { this.callRef(r); },
      'call-ref-catch': r => catching(() => this.callRef(r)),
      'table-get': i => this.table(i).get(i >>> 0),
      'table-set': (i, v) => { this.table(i).set(i >>> 0, v); },
      'sleep': (ms, id) => id,
      'throw': n => { throw n === 0 ? this.jsError() : new WebAssembly.Exception(this.wasmTag, [n]); },
      'wasmtag': this.wasmTag, 'jstag': this.jsTag,
    };
    const imports = {};
    for (const i of WebAssembly.Module.imports(this.module)) {
      imports[i.module] ??= {};
      if (i.module === 'fuzzing-support' && i.name in support) imports[i.module][i.name] = support[i.name];
      else if (i.kind === 'global' && i.type.value === 'externref' && !i.type.mutable) {
        let payload = 0;                                 // binaryen's synthesized global: externref(sum of chars % 251)
        for (const ch of i.module + i.name) payload = (payload + ch.charCodeAt(0)) % 251;
        imports[i.module][i.name] = new WebAssembly.Global({ value: 'externref', mutable: false }, new Extern(payload));
      }
    }
    return imports;
  }
  /** The interpreter's description of an exception that reached the top (BinaryenHost.describe). */
  describe(e) {
    if (e.is(this.wasmTag)) return 'imported-wasm-tag ' + e.getArg(this.wasmTag, 0);
    if (e.is(this.jsTag)) return 'imported-js-tag jserror';
    return 'own-tag';                                  // a tag the module defines: JavaScript cannot read it
  }
}

// ------------------------------------------------------------------ one module
const isTrap = e => e instanceof WebAssembly.RuntimeError;
const isExhaustion = e => e instanceof RangeError && /call stack/.test(e.message);

/** {status: 'agree' | 'disagree' | 'not run', problems: [...]} */
function check(bytes, expected) {
  let module;
  try { module = new WebAssembly.Module(bytes); } catch (e) {
    return { status: 'not run', problems: ['V8 cannot compile it: ' + e.message.replace(/^WebAssembly\.Module\(\): /, '')] };
  }
  const host = new Host(module);
  let instance;
  try {
    instance = new WebAssembly.Instance(module, host.imports());
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) return { status: 'not run', problems: ['V8 cannot link it: ' + e.message] };
    if (!(isTrap(e) || isExhaustion(e))) throw e;
    return expected.instantiationTrap ? { status: 'agree', problems: [] }
      : { status: 'disagree', problems: ['instantiation trapped in V8 (' + e.message + '), the reference did not'] };
  }
  if (expected.instantiationTrap) return { status: 'disagree', problems: ['instantiation succeeded, the reference: ' + expected.instantiationTrap] };
  host.instance = instance;
  const problems = [];
  const started = host.logs.splice(0);
  if (started.length !== expected.instantiationLogs.length || !started.every((l, k) => logMatches(l, expected.instantiationLogs[k]))) {
    problems.push(`start function logged ${started.map(show)}, the reference ${expected.instantiationLogs}`);
  }
  const exports = WebAssembly.Module.exports(module).filter(e => e.kind === 'function' || e.kind === 'global');
  if (exports.length !== expected.calls.length) {
    return { status: 'disagree', problems: [`the reference ran ${expected.calls.length} exports, the module has ${exports.length}`] };
  }
  exports.forEach((exp, i) => {
    if (problems.length > 10) return;
    const call = expected.calls[i];
    const where = exp.name + ': ';
    if (call.name !== exp.name) { problems.push(`export #${i} is ${exp.name}, the reference ran ${call.name}`); return; }
    if (exp.kind === 'global') {
      const type = exp.type.value, g = instance.exports[exp.name];
      const value = type === 'v128' ? v128Reader(g, exp.type.mutable)() : g.value;
      const ok = call.logs.length === 1 && (type === 'i64' ? matchInt(call.logs[0].join(' '), value, 64)
        : logMatches([type, value], call.logs[0]));
      if (!ok) problems.push(`${where}global is ${show([type, value])}, the reference logged ${JSON.stringify(call.logs)}`);
      return;
    }
    const { parameters, results } = exp.type;
    const fn = instance.exports[exp.name];
    let values = null, trap = null, thrown = null;
    try {
      if (parameters.includes('v128') || results.includes('v128')) {
        values = v128Caller(fn, parameters, results)();
      } else {
        const r = fn(...parameters.map(t => t === 'i64' ? 0n : t === 'i32' || t === 'f32' || t === 'f64' ? 0 : null));
        values = results.length === 0 ? [] : results.length === 1 ? [r] : r;
      }
    } catch (e) {
      if (isTrap(e) || isExhaustion(e)) trap = e;
      else if (e instanceof WebAssembly.Exception) thrown = host.describe(e);
      else { problems.push(`${where}JavaScript cannot call it: ${e}`); host.logs.length = 0; return; }
    }
    const logs = host.logs.splice(0);
    for (let k = 0; k < Math.min(logs.length, call.logs.length); k++) {
      if (!logMatches(logs[k], call.logs[k])) { problems.push(`${where}log #${k} is ${show(logs[k])}, the reference logged ${call.logs[k].join(' ')}`); return; }
    }
    if (logs.length !== call.logs.length) {
      problems.push(`${where}${logs.length} log calls, the reference made ${call.logs.length}`
        + (trap ? ` (V8: ${trap.message})` : '') + (call.trap ? ` (the reference: ${call.trap})` : ''));
      return;
    }
    if ((thrown !== null) !== (call.exception !== null)) {
      problems.push(where + (thrown ? `threw ${thrown}, the reference did not` : `did not throw, the reference threw ${call.exception}`));
      return;
    }
    if (thrown) {
      const ok = thrown === 'own-tag' ? /^tag/.test(call.exception) : call.exception.trim() === thrown;
      if (!ok) problems.push(`${where}threw ${thrown}, the reference ${call.exception}`);
      return;
    }
    if ((trap !== null) !== (call.trap !== null)) {
      problems.push(where + (trap ? `trapped (${trap.message}), the reference returned ${call.results}` : `returned, the reference trapped: ${call.trap}`));
      return;
    }
    if (trap) return;
    if (values.length !== call.results.length && !(call.results.length === 1 && values.length > 1)) {
      problems.push(`${where}${values.length} results, the reference ${call.results}`);
      return;
    }
    call.results.forEach((token, k) => {
      if (!matches(results[k], token, values[k])) problems.push(`${where}result #${k} is ${show([results[k], values[k]])}, the reference ${token}`);
    });
  });
  return { status: problems.length ? 'disagree' : 'agree', problems };
}

// ------------------------------------------------------------------ the corpora
let anyDisagreement = false;
for (const { name, dir } of corpora) {
  let files = readdirSync(dir).filter(f => f.endsWith('.wasm')).sort();
  const total = files.length;
  if (sample > 0 && sample < total) files = Array.from({ length: sample }, (_, k) => files[Math.floor(k * total / sample)]);
  const counts = { agree: 0, disagree: 0, 'not run': 0 };
  const notRun = new Map(), disagreements = [];
  for (const file of files) {
    const base = file.slice(0, -5);
    const expected = parseExpected(readFileSync(join(dir, base + '.expected'), 'utf8'));
    let result;
    try {
      result = check(readFileSync(join(dir, file)), expected);
    } catch (e) {
      result = { status: 'disagree', problems: ['harness: ' + (e.stack || e)] };
    }
    counts[result.status]++;
    if (result.status === 'not run') {
      const reason = result.problems[0].replace(/@\+\d+/g, '').replace(/#\d+/g, '#N').replace(/\d+ exceeds/, 'N exceeds');
      notRun.set(reason, (notRun.get(reason) ?? 0) + 1);
    } else if (result.status === 'disagree') {
      disagreements.push(`${base}: ${result.problems.slice(0, 3).join('; ')}`);
    }
    if (verbose) console.log(`${name}/${base}: ${result.status} ${result.problems.slice(0, 2).join('; ')}`);
  }
  console.log(`${name}: ${files.length} of ${total} modules, run ${counts.agree + counts.disagree}, agree ${counts.agree}, `
    + `disagree ${counts.disagree}, not run ${counts['not run']}`);
  for (const [reason, n] of notRun) console.log(`  not run (${n}): ${reason}`);
  for (const d of disagreements) console.log('  disagree ' + d);
  if (disagreements.length) anyDisagreement = true;
}
process.exit(anyDisagreement ? 1 : 0);
