;; Exception-handling benchmark (bench/src/main/java/dev/isthmus/bench/ExceptionCost.java, bench/v8/exceptions.mjs).
;; Every export takes N and returns an i32 checksum.
;;   plain N       N calls of $work, no try                       (the reference)
;;   try N         the same calls, each inside a try_table       (the non-throwing path of code using exceptions)
;;   legacy-try N  the same calls, each inside a legacy try/catch
;;   throw10 N     N round trips: throw 10 frames below a try_table, catch, continue
;;   legacy-throw10 N  the same with legacy try/catch (what node 20's V8 runs)
(module
  (tag $e (param i32))
  (func $work (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 31)) (i32.const 7)))
  (func $deep (param i32 i32)
    (if (i32.eqz (local.get 0)) (then (throw $e (local.get 1))))
    (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
  (func (export "plain") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.xor (local.get $s) (call $work (local.get $n))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "try") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (block $c (result i32)
        (try_table (result i32) (catch $e $c)
          (call $work (local.get $n))))
      (local.set $s (i32.xor (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "legacy-try") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (try (result i32)
        (do (call $work (local.get $n)))
        (catch $e))
      (local.set $s (i32.xor (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "throw10") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (block $c (result i32)
        (try_table (catch $e $c)
          (call $deep (i32.const 9) (local.get $n)))
        (i32.const 0))
      (local.set $s (i32.add (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "legacy-throw10") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (try (result i32)
        (do (call $deep (i32.const 9) (local.get $n)) (i32.const 0))
        (catch $e))
      (local.set $s (i32.add (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))
