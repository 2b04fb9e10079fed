(module
  (type (;0;) (func (param i32) (result i32)))
  (func (;0;) (type 0) (param i32) (result i32)
    local.get 0
    i32.eqz
    if  ;; label = @1
      i32.const 0
      return
    end
    local.get 0
    i32.const 1
    i32.sub
    call 0
    i32.const 1
    i32.shr_s
    local.get 0
    i32.add)
  (memory (;0;) 2)
  (export "memory" (memory 0))
  (export "deep" (func 0)))
