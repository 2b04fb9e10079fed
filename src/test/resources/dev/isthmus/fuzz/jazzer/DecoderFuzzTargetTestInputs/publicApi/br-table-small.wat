(module
  (func (export "switch") (param i32) (result i32)
    (block (block (br_table 0 1 (local.get 0)))
      (return (i32.const 10)))
    (i32.const 20)))
