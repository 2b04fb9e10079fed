(module
  (import "host" "log" (func $log (param i32)))
  (import "host" "sqrt" (func $sqrt (param f64) (result f64)))
  (func (export "log_twice") (param i32)
    (call $log (local.get 0))
    (call $log (i32.add (local.get 0) (i32.const 1))))
  (func (export "hypot") (param f64 f64) (result f64)
    (call $sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1))))))
