// Cross-checks the differential corpus with a second engine: runs every module in Node's V8 the way binaryen's
// --fuzz-exec does (hangLimitInitializer before each function export, zero arguments) and compares the logged
// values, traps and results with NNNN.expected, using the same rules as DifferentialTest (integers modulo 2^bits,
// floats exactly with the sign of zero, any NaN matches any NaN, trap messages not compared).
// A module on which V8 and binaryen disagree is a corpus problem, not an Isthmus bug.
//
// Usage: node --experimental-wasm-type-reflection scripts/fuzz/check-with-node.mjs [corpus-dir]   (tested with Node 20)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { matchInt, matchFloat } from './node-values.mjs';

const dir = process.argv[2] ?? new URL('../../src/test/resources/fuzz/corpus', import.meta.url).pathname;

function parseExpected(text) {
  const calls = [];
  let instantiationTrap = null;
  let call = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('[fuzz-exec] calling ')) {
      call = { name: line.substring(20).trim(), logs: [], trap: null, results: [] };
      calls.push(call);
    } else if (line.startsWith('[LoggingExternalInterface logging')) {
      const v = line.substring(33, line.length - 1).trim();
      call.logs.push(v === '' ? [] : v.split(' '));
    } else if (line.startsWith('[trap ')) {
      if (call) call.trap = line; else instantiationTrap = line;
    } else if (line.startsWith('[fuzz-exec] note result: ')) {
      let v = line.substring(line.indexOf(' => ') + 4).trim();
      call.results = v.startsWith('(') ? v.slice(1, -1).split(',').map(s => s.trim()) : [v];
    }
  }
  return { instantiationTrap, calls };
}

function matches(type, token, value) {
  switch (type) {
    case 'i32': return matchInt(token, value, 32);
    case 'i64': return matchInt(token, value, 64);
    case 'f32': return matchFloat(token, value, true);
    case 'f64': return matchFloat(token, value, false);
    default: return true;
  }
}

let failures = 0, count = 0;
for (const file of readdirSync(dir).filter(f => f.endsWith('.wasm')).sort()) {
  count++;
  const name = file.slice(0, -5);
  const expected = parseExpected(readFileSync(join(dir, name + '.expected'), 'utf8'));
  const module = new WebAssembly.Module(readFileSync(join(dir, file)));
  const logs = [];
  const log = type => v => { logs.push([type, v]); };
  const imports = { 'fuzzing-support': {
    'log-i32': log('i32'), 'log-i64': log('i64'), 'log-f32': log('f32'), 'log-f64': log('f64') } };
  const problems = [];
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    if (!expected.instantiationTrap) problems.push('instantiation failed: ' + e);
  }
  if (instance) {
    const functionExports = WebAssembly.Module.exports(module).filter(e => e.kind === 'function');
    const exportsInOrder = functionExports.map(e => e.name);
    const hang = instance.exports.hangLimitInitializer;
    exportsInOrder.forEach((exportName, i) => {
      const call = expected.calls[i];
      if (!call || call.name !== exportName) { problems.push('export order differs at ' + exportName); return; }
      if (hang) hang();
      logs.length = 0;
      const fn = instance.exports[exportName];
      let result, trap = null;
      try {
        result = fn(...functionExports[i].type.parameters.map(t => t === 'i64' ? 0n : 0));
      } catch (e) {
        if (e instanceof RangeError && /call stack/.test(e.message)) { problems.push(exportName + ': stack overflow'); return; }
        trap = e;
      }
      if (logs.length !== call.logs.length) {
        problems.push(`${exportName}: ${logs.length} logs, expected ${call.logs.length}`);
        return;
      }
      logs.forEach(([type, v], k) => {
        const tokens = call.logs[k];
        const ok = type === 'i64'
          ? tokens.length === 2 && matchInt(tokens[0], BigInt.asIntN(32, v), 32) && matchInt(tokens[1], v >> 32n, 32)
          : tokens.length === 1 && matches(type, tokens[0], v);
        if (!ok) problems.push(`${exportName}: log ${k} ${type} ${v} vs ${tokens}`);
      });
      if ((trap !== null) !== (call.trap !== null)) {
        problems.push(`${exportName}: trap ${trap} vs ${call.trap}`);
        return;
      }
      if (trap) return;
      const values = call.results.length > 1 ? result : call.results.length === 1 ? [result] : [];
      const resultTypes = functionExports[i].type.results;
      if (values.length !== resultTypes.length) problems.push(`${exportName}: ${values.length} results vs ${call.results}`);
      values.forEach((v, k) => {
        if (!matches(resultTypes[k], call.results[k], v)) problems.push(`${exportName}: result ${k} ${v} vs ${call.results[k]}`);
      });
    });
  }
  if (problems.length) {
    failures++;
    console.log(name + ': ' + problems.slice(0, 3).join('; '));
  }
}
console.log(`${count} modules, ${count - failures} agree with V8, ${failures} differ`);
process.exit(failures ? 1 : 0);
