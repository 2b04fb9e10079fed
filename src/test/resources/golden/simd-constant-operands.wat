(module
  ;; v128 operands known as constants: a pool memory operand for min_u and and (either side of a commutative
  ;; operation, the second of sub), an immediate for the shift count, a pshufb for the shuffle with zero; none of
  ;; the constants is materialized in a register inside the loop
  (memory 1)
  (func (export "saturate") (param i32 i32)
    (loop
      (v128.store (local.get 0)
        (i32x4.min_u
          (i32x4.shr_u
            (i32x4.sub
              (v128.and (v128.const i32x4 0xffff 0xffff 0xffff 0xffff) (v128.load (local.get 0)))
              (v128.const i32x4 1 2 3 4))
            (i32.const 8))
          (i8x16.shuffle 16 1 2 3 17 5 6 7 18 9 10 11 19 13 14 15
            (v128.const i32x4 0 0 0 0) (v128.const i32x4 255 255 255 255))))
      (local.set 0 (i32.add (local.get 0) (i32.const 16)))
      (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))))
