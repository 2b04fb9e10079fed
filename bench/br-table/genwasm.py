#!/usr/bin/env python3
"""Writes switch8000.wasm, the binary of switch8000.wat (gen.py), directly: Isthmus's WAT parser recurses per
nesting level and cannot read 8,001 nested blocks."""
N = 8000

def uleb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def sleb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if (v == 0 and not b & 0x40) or (v == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)

def section(id, payload):
    return bytes([id]) + uleb(len(payload)) + payload

code = bytearray(b'\x01\x02\x7f')                       # locals: $i, $acc (i32)
code += b'\x02\x40\x03\x40'                             # block $done, loop $top
code += b'\x20\x01\x20\x00\x4f\x0d\x01'                 # br_if $done (i >= n)
code += b'\x02\x40' * (N + 1)
code += b'\x20\x01\x41' + sleb(7919) + b'\x6c\x41' + sleb(8000) + b'\x70'
code += b'\x0e' + uleb(N) + b''.join(uleb(k) for k in range(N)) + uleb(N)
for k in range(N + 1):
    code += b'\x0b\x20\x02\x41' + sleb(k * 3 + 1) + b'\x6a\x21\x02'
    code += b'\x20\x01\x41\x01\x6a\x21\x01\x0c' + uleb(N - k)
code += b'\x0b\x0b\x20\x02\x0b'
body = uleb(len(code)) + bytes(code)
module = b'\x00asm\x01\x00\x00\x00'
module += section(1, b'\x01\x60\x01\x7f\x01\x7f')
module += section(3, b'\x01\x00')
module += section(7, b'\x01' + uleb(3) + b'run' + b'\x00\x00')
module += section(10, b'\x01' + body)
open('switch8000.wasm', 'wb').write(module)
