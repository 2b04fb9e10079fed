(module
  ;; a v128 loop: the vector and the permutation are loop phis in xmm registers
  (func (export "permute") (param i32 i32) (result i32) (local v128 v128)
    (local.set 2 (i32x4.splat (local.get 0)))
    (local.set 3 (v128.const i8x16 1 2 3 0 5 6 7 4 9 10 11 8 13 14 15 12))
    (block (loop
      (br_if 1 (i32.eqz (local.get 1)))
      (local.set 2 (i32x4.replace_lane 0 (i8x16.swizzle (local.get 2) (local.get 3)) (local.get 1)))
      (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
      (br 0)))
    (i32x4.extract_lane 3 (local.get 2))))
