// How the V8 oracles (check-with-node.mjs, check-132-with-node.mjs) compare a value printed by binaryen's
// --fuzz-exec with the value V8 produced, by the rules of DifferentialRun: integers modulo 2^bits, floats exactly
// with the sign of zero (an f32 also when the printed double rounds to it), any NaN matches any NaN.

export function matchInt(token, value, bits) {
  let t;
  try { t = BigInt(token); } catch { return false; }
  return BigInt.asIntN(bits, t) === BigInt.asIntN(bits, BigInt(value));
}

export function matchFloat(token, value, isF32) {
  if (/^-?nan/.test(token)) return Number.isNaN(value);
  const parsed = token === 'inf' ? Infinity : token === '-inf' ? -Infinity : Number(token);
  return Object.is(parsed, value) || (isF32 && Object.is(Math.fround(parsed), value));
}
