(module
  ;; a sum emitted as lea d, [a + b] sets no flags: the br_if on it keeps its test (a miscompile until
  ;; 2026-12-06: the jz read the flags of whatever came before, found in yosys by the start-up harness)
  (func (export "sum_branch") (param i32 i32 i32) (result i32) (local i32)
    (local.set 3 (i32.add (local.get 0) (local.get 1)))
    (br_if 0 (i32.const 1000) (local.get 3))
    (drop)
    (i32.add (local.get 3) (i32.add (local.get 0) (local.get 1))))
  (func (export "sum_branch64") (param i64 i64) (result i64) (local i64)
    (local.set 2 (i64.add (local.get 0) (local.get 1)))
    (if (i64.eqz (local.get 2)) (then (return (i64.const 7))))
    (i64.mul (local.get 2) (i64.add (local.get 0) (local.get 1)))))
