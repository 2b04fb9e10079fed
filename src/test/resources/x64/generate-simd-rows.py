#!/usr/bin/env python3
# Writes SimdGoldenRows.java: golden rows for every SimdOp row (legacy and VEX; several register sets that exercise
# the two- and three-byte VEX prefixes, and memory operands with the addressing special cases), read from the
# constants of SimdOp.java. The expected bytes then come from GNU as: run generate-golden.sh afterwards.
#   src/test/resources/x64/generate-simd-rows.py && src/test/resources/x64/generate-golden.sh
import os, re, sys
here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, '../../../main/java/dev/isthmus/x64/SimdOp.java')).read()
target = os.path.join(here, '../../java/dev/isthmus/x64/SimdGoldenRows.java')
ops=[]
for m in re.finditer(r'^    ([A-Z0-9_]+)\((.*)\)[,;]$', src, re.M):
    name, args = m.group(1), [a.strip() for a in m.group(2).split(',')]
    form=args[0]
    if form=='SHIFT': bits=0; flags=''
    elif form=='BLENDV': bits=128; flags=''
    else:
        bits=int(args[5]); flags=args[6] if len(args)>6 else ''
    ops.append(dict(name=name, form=form, bits=bits, w='W1' in flags, memonly='MEM_ONLY' in flags, vexonly='VEX_ONLY' in flags))
PTR={8:'byte',16:'word',32:'dword',64:'qword',128:'xmmword'}
# (gas text, java expression)
MEMS=[('[rsp+0x10]','Mem.of(RSP, 0x10)'),('[r12]','Mem.of(R12)'),('[rbp-0x08]','Mem.of(RBP, -0x8)'),
      ('[r13+rax*8+0x80]','Mem.of(R13, RAX, 8, 0x80)'),('[rax+r9*2]','Mem.of(RAX, R9, 2, 0x0)'),
      ('[r12*4+0x40]','Mem.indexed(R12, 4, 0x40)'),('[r13]','Mem.of(R13)'),('[rbx+r14*1-0x12345678]','Mem.of(RBX, R14, 1, -0x12345678)')]
G32=['eax','r10d','ecx','r15d','esp']; G64=['rax','r10','rcx','r15','rsp']
GJ={'eax':'RAX','r10d':'R10','ecx':'RCX','r15d':'R15','esp':'RSP','rax':'RAX','r10':'R10','rcx':'RCX','r15':'R15','rsp':'RSP'}
IMMS=['0x00','0x01','0x1B','0x7F','0x80','0xFF']
REGSETS=[(1,2,3,4),(9,10,11,12),(8,1,2,13),(0,7,15,5),(14,3,8,6),(2,12,9,10)]
rows=[]
def X(n): return 'xmm%d'%n
def XJ(n): return 'XMM%d'%n
def immj(s): return '0x'+s[2:].lstrip('0') if s[2:].lstrip('0') else '0x0'
k=0
for op in ops:
    base=op['name'].split('_')[0].lower()
    for vex in ([False,True] if not op['vexonly'] else [True]):
        mn=('v'+base) if vex and not op['vexonly'] else base
        call='vex' if vex else 'simd'
        O='SimdOp.'+op['name']
        gs=G64 if op['w'] else G32
        f=op['form']
        regsets=REGSETS if vex else REGSETS[:2]
        if not op['memonly'] and f!='MX':
            for (a,b,c,d) in regsets:
                imm=IMMS[k%6]; ij=immj(imm); g=gs[k%len(gs)]; k+=1
                if f=='XX': t=f'{mn} {X(a)}, {X(b)}'; j=f'a.{call}({O}, {XJ(a)}, {XJ(b)})'
                elif f=='XXX':
                    if vex: t=f'{mn} {X(a)}, {X(b)}, {X(c)}'; j=f'a.vex({O}, {XJ(a)}, {XJ(b)}, {XJ(c)})'
                    else: t=f'{mn} {X(a)}, {X(b)}'; j=f'a.simd({O}, {XJ(a)}, {XJ(b)})'
                elif f=='XXI': t=f'{mn} {X(a)}, {X(b)}, {imm}'; j=f'a.{call}({O}, {XJ(a)}, {XJ(b)}, {ij})'
                elif f=='XXXI':
                    if vex: t=f'{mn} {X(a)}, {X(b)}, {X(c)}, {imm}'; j=f'a.vex({O}, {XJ(a)}, {XJ(b)}, {XJ(c)}, {ij})'
                    else: t=f'{mn} {X(a)}, {X(b)}, {imm}'; j=f'a.simd({O}, {XJ(a)}, {XJ(b)}, {ij})'
                elif f=='BLENDV':
                    if vex: t=f'{mn} {X(a)}, {X(b)}, {X(c)}, {X(d)}'; j=f'a.vex({O}, {XJ(a)}, {XJ(b)}, {XJ(c)}, {XJ(d)})'
                    else: t=f'{mn} {X(a)}, {X(b)}'; j=f'a.simd({O}, {XJ(a)}, {XJ(b)})'
                elif f=='SHIFT':
                    if vex: t=f'{mn} {X(a)}, {X(b)}, {imm}'; j=f'a.vex({O}, {XJ(a)}, {XJ(b)}, {ij})'
                    else: t=f'{mn} {X(a)}, {imm}'; j=f'a.simd({O}, {XJ(a)}, {ij})'
                elif f=='XG': t=f'{mn} {X(a)}, {g}'; j=f'a.{call}({O}, {XJ(a)}, {GJ[g]})'
                elif f in ('GX','GXR'): t=f'{mn} {g}, {X(b)}'; j=f'a.{call}({O}, {GJ[g]}, {XJ(b)})'
                elif f in ('GXI','GXRI'): t=f'{mn} {g}, {X(b)}, {imm}'; j=f'a.{call}({O}, {GJ[g]}, {XJ(b)}, {ij})'
                elif f=='XXGI':
                    if vex: t=f'{mn} {X(a)}, {X(c)}, {g}, {imm}'; j=f'a.vex({O}, {XJ(a)}, {XJ(c)}, {GJ[g]}, {ij})'
                    else: t=f'{mn} {X(a)}, {g}, {imm}'; j=f'a.simd({O}, {XJ(a)}, {GJ[g]}, {ij})'
                rows.append((t,j))
        if op['bits']:
            p=PTR[op['bits']]
            for n in range(2):
                mt,mj=MEMS[k%len(MEMS)]; a,b,c,d=REGSETS[k%len(REGSETS)]; imm=IMMS[k%6]; ij=immj(imm); k+=1
                M=f'{p} ptr {mt}'
                if f in ('XX','XG'): t=f'{mn} {X(a)}, {M}'; j=f'a.{call}({O}, {XJ(a)}, {mj})'
                elif f=='XXX':
                    if vex: t=f'{mn} {X(a)}, {X(c)}, {M}'; j=f'a.vex({O}, {XJ(a)}, {XJ(c)}, {mj})'
                    else: t=f'{mn} {X(a)}, {M}'; j=f'a.simd({O}, {XJ(a)}, {mj})'
                elif f=='XXI': t=f'{mn} {X(a)}, {M}, {imm}'; j=f'a.{call}({O}, {XJ(a)}, {mj}, {ij})'
                elif f in ('XXXI','XXGI'):
                    if vex: t=f'{mn} {X(a)}, {X(c)}, {M}, {imm}'; j=f'a.vex({O}, {XJ(a)}, {XJ(c)}, {mj}, {ij})'
                    else: t=f'{mn} {X(a)}, {M}, {imm}'; j=f'a.simd({O}, {XJ(a)}, {mj}, {ij})'
                elif f=='BLENDV':
                    if vex: t=f'{mn} {X(a)}, {X(c)}, {M}, {X(d)}'; j=f'a.vex({O}, {XJ(a)}, {XJ(c)}, {mj}, {XJ(d)})'
                    else: t=f'{mn} {X(a)}, {M}'; j=f'a.simd({O}, {XJ(a)}, {mj})'
                elif f in ('MX','GX'): t=f'{mn} {M}, {X(a)}'; j=f'a.{call}({O}, {mj}, {XJ(a)})'
                elif f=='GXI': t=f'{mn} {M}, {X(a)}, {imm}'; j=f'a.{call}({O}, {mj}, {XJ(a)}, {ij})'
                else: raise Exception(op)
                rows.append((t,j))
out=[]
for t,j in rows:
    out.append(f'            row("{t}", a -> {j})')
body=',\n'.join(out)
text = (f'''package dev.isthmus.x64;

import java.util.List;

import static dev.isthmus.x64.Gpr.*;
import static dev.isthmus.x64.Xmm.*;

/**
 * The golden rows of the 128-bit SIMD forms ({{@link SimdOp}}), legacy and VEX: for every row low and high registers
 * (two- and three-byte VEX prefixes) and memory operands with the addressing special cases. Same format and rules
 * as {{@link GoldenRows}}; {{@code generate-golden.sh}} reads the source lines of both files, this one second.\n * Generated by {{@code src/test/resources/x64/generate-simd-rows.py}} from {{@link SimdOp}}.
 */
final class SimdGoldenRows {{
    private SimdGoldenRows() {{
    }}

    private static GoldenRows.Row row(String text, java.util.function.Consumer<Assembler> emit) {{
        return new GoldenRows.Row(text, text, emit);
    }}

    static final List<GoldenRows.Row> ROWS = List.of(
{body}
    );
}}
''')
open(target, 'w').write(text)
print('generate-simd-rows: %d rows written to %s' % (len(rows), target))
