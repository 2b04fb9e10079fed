#!/usr/bin/env python3
"""Writes switch8000.wat: run(n) loops n times, dispatching each iteration through one br_table of 8,000 cases
(index = i * 7919 mod 8000, so every case is hit and the indirect jump's target changes each iteration); case k
adds k * 3 + 1 to the accumulator. Returns the accumulator. Flat instruction syntax (block ... end): the blocks
nest 8,001 deep."""
N = 8000
out = ['(module', '  (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc i32)',
       '    block $done', '    loop $top',
       '    local.get $i local.get $n i32.ge_u br_if $done']
out.append('    ' + 'block ' * (N + 1))
out.append('    local.get $i i32.const 7919 i32.mul i32.const 8000 i32.rem_u')
out.append('    br_table ' + ' '.join(str(k) for k in range(N)) + ' ' + str(N))
for k in range(N + 1):  # after block k ends: case k (k = N is the default, never taken)
    out.append('    end local.get $acc i32.const %d i32.add local.set $acc' % (k * 3 + 1)
               + ' local.get $i i32.const 1 i32.add local.set $i br $top')
out.append('    end end')
out.append('    local.get $acc)')
out.append(')')
open('switch8000.wat', 'w').write('\n'.join(out) + '\n')
