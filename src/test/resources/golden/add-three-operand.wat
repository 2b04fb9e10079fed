(module
  ;; a sum whose operands both stay live: one lea d, [a + b] instead of mov d, a; add d, b (i32 and i64)
  (func (export "add32") (param i32 i32) (result i32)
    (i32.mul (i32.add (local.get 0) (local.get 1)) (i32.sub (local.get 0) (local.get 1))))
  (func (export "add64") (param i64 i64) (result i64)
    (i64.xor (i64.add (local.get 0) (local.get 1)) (i64.mul (local.get 0) (local.get 1)))))
