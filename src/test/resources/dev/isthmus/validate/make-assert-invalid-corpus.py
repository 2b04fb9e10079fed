#!/usr/bin/env python3
"""Regenerates wasm-2.0-assert-invalid.tsv: every assert_invalid module of the official 2.0 suite as binary.

Binary modules are taken as written; text and quoted modules are compiled by an independent encoder, wabt's
wat2wasm (--no-check, so the invalid modules are encoded without being judged). Rows whose encoding wabt gets
wrong for our purpose are listed in WABT_ARTIFACTS and left out.

Usage: make-assert-invalid-corpus.py /work/shared/testsuite/wasm-2.0 > wasm-2.0-assert-invalid.tsv
       make-assert-invalid-corpus.py /work/shared/testsuite/wasm-3.0 return_call.wast return_call_indirect.wast \
           > wasm-3.0-tail-call-assert-invalid.tsv
Columns: <wast file>:<line>  <expected message>  <module bytes in hex>
"""
import glob, os, re, subprocess, sys, tempfile

# wat2wasm 1.0.32 emits no data count section for a module without data segments that uses data.drop or
# memory.init (the text format's encoding adds one), and encodes `select (result)` as untyped select.
WABT_ARTIFACTS = {"memory_init.wast:189", "memory_init.wast:226", "select.wast:323"}


def top_level_forms(text):
    """(start, end) of every top-level parenthesised form, skipping strings and comments."""
    i, n, depth, start, out = 0, len(text), 0, None, []
    while i < n:
        if text.startswith(';;', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
            continue
        if text.startswith('(;', i):
            d, i = 1, i + 2
            while d > 0 and i < n:
                if text.startswith('(;', i): d, i = d + 1, i + 2
                elif text.startswith(';)', i): d, i = d - 1, i + 2
                else: i += 1
            continue
        c = text[i]
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == '\\' else 1
            i += 1
            continue
        if c == '(':
            if depth == 0: start = i
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0: out.append((start, i + 1))
        i += 1
    return out


def string_literals(s):
    """The bytes of each "..." literal in s, escapes decoded, comments skipped."""
    s = re.sub(r';;[^\n]*', '', s)
    out = []
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', s):
        raw, b, i = m.group(1), bytearray(), 0
        while i < len(raw):
            c = raw[i]
            if c == '\\':
                if re.fullmatch(r'[0-9a-fA-F]{2}', raw[i + 1:i + 3]):
                    b.append(int(raw[i + 1:i + 3], 16)); i += 3; continue
                simple = {'n': 10, 't': 9, 'r': 13, '"': 34, "'": 39, '\\': 92}
                if raw[i + 1] in simple:
                    b.append(simple[raw[i + 1]]); i += 2; continue
                if raw[i + 1] == 'u':
                    j = raw.index('}', i)
                    b += chr(int(raw[i + 3:j], 16)).encode(); i = j + 1; continue
            b += c.encode(); i += 1
        out.append(bytes(b))
    return out


def main(suite, patterns):
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(p for pattern in patterns for p in glob.glob(os.path.join(suite, pattern))):
            text, name = open(path).read(), os.path.basename(path)
            for s, e in top_level_forms(text):
                form = text[s:e]
                if not form.startswith('(assert_invalid'): continue
                where = f'{name}:{text.count(chr(10), 0, s) + 1}'
                if where in WABT_ARTIFACTS: continue
                m = re.search(r'"((?:[^"\\]|\\.)*)"\s*\)\s*$', form)
                message, module = m.group(1), form[len('(assert_invalid'):m.start()].strip()
                binary = re.match(r'\(module\s+(\$\S+\s+)?binary', module)
                quote = re.match(r'\(module\s+(\$\S+\s+)?quote', module)
                if binary:
                    wasm = b''.join(string_literals(module[binary.end():]))
                else:
                    wat = '(module ' + b' '.join(string_literals(module[quote.end():-1])).decode() + ')' if quote else module
                    src, dst = os.path.join(tmp, 'm.wat'), os.path.join(tmp, 'm.wasm')
                    open(src, 'w').write(wat)
                    subprocess.run(['wat2wasm', '--no-check', '--enable-tail-call', src, '-o', dst], check=True)
                    wasm = open(dst, 'rb').read()
                print(f'{where}\t{message}\t{wasm.hex()}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:] or ['*.wast'])
