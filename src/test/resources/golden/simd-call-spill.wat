(module
  ;; v128 values live across calls: 16-byte spill slots (movdqu), reloaded after the call
  (func $f (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "spill") (param i32) (result v128) (local v128 v128)
    (local.set 1 (i32x4.splat (local.get 0)))
    (local.set 2 (v128.const i64x2 0x0123456789abcdef 0x7edcba9876543210))
    (local.set 0 (call $f (local.get 0)))
    (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
      (i32x4.replace_lane 2 (local.get 1) (local.get 0)) (local.get 2))))
