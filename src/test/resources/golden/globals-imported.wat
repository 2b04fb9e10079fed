(module
  (import "env" "base" (global $base i32))
  (import "env" "acc" (global $acc (mut i64)))
  (import "env" "fuzz" (global $fuzz (mut f32)))
  (func (export "offset") (param i32) (result i32) (i32.add (local.get 0) (global.get $base)))
  (func (export "accumulate") (param i64) (global.set $acc (i64.add (global.get $acc) (local.get 0))))
  (func (export "fuzz") (result f32) (global.get $fuzz)))
