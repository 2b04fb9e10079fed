;; the index is a constant (a plain jump in both tiers), or masked below the entry count (no bounds check)
(module
  (func (export "constant") (result i32)
    (block (block (block (block (block
      (br_table 0 1 2 3 4 (i32.const 2)))
      (return (i32.const 100)))
      (return (i32.const 101)))
      (return (i32.const 102)))
      (return (i32.const 103)))
    (i32.const 104))
  (func (export "masked") (param i32) (result i32)
    (block (block (block (block (block
      (br_table 0 1 2 3 4 (i32.and (local.get 0) (i32.const 3))))
      (return (i32.const 100)))
      (return (i32.const 101)))
      (return (i32.const 102)))
      (return (i32.const 103)))
    (i32.const 104)))
