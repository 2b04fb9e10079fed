(module
  (func (export "swap_sum") (param i32 i32) (result i32) (local i32 i64 f32 f64)
    (local.set 2 (local.get 0))
    (local.set 0 (local.get 1))
    (local.set 1 (local.get 2))
    (local.set 3 (i64.extend_i32_u (local.get 0)))
    (local.tee 2 (i32.sub (local.get 0) (local.get 1)))
    (i32.wrap_i64 (local.get 3))
    (i32.add)))
