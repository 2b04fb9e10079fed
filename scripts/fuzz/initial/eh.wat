;; Initial content for the eh profile (scripts/fuzz/profiles.tsv): binaryen 132's -ttf generator makes try_table
;; (every clause kind), throw, throw_ref and the legacy try with catch and catch_all, but never rethrow or delegate
;; (0 of 120 modules without this file). These functions add them: a rethrow from a catch block nested in the catch
;; block it rethrows, a delegate to an outer try past a try that would catch, a delegate to the caller, and catch
;; blocks that throw to the try around their try. wasm-opt -ttf --initial-fuzz keeps, mutates, recombines and calls
;; them; they throw through the host's fuzzing-support.throw too (a JavaScript error for 0, else the wasm tag's).
(module
  (import "fuzzing-support" "throw" (func $throw (param i32)))
  (tag $e (param i32))
  (tag $f)
  (func $rethrow-outer (param $x i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw (local.get $x)) (throw $e (local.get $x)))
          (catch $e
            (drop)
            (try (result i32)
              (do (throw $f))
              (catch $f (rethrow 1))))
          (catch_all (i32.const 7))))
      (catch $e (i32.add (i32.const 1000)))))
  (func $delegate-outer (param $x i32) (result i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do
            (try (result i32)
              (do
                (if (local.get $x) (then (throw $e (local.get $x))))
                (call $throw (i32.sub (local.get $x) (i32.const 1)))
                (i32.const 0))
              (delegate $outer)))
          (catch $e (drop) (i32.const -1))))
      (catch $e (i32.add (i32.const 2000)))
      (catch_all (i32.const 3000))))
  (func $delegate-caller (param $x i32) (result i32)
    (try (result i32)
      (do (try (result i32) (do (throw $e (local.get $x))) (delegate 1)))
      (catch_all (i32.const 5))))
  (func $catch-block-throws (param $x i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw (local.get $x)) (i32.const 1))
          (catch_all (throw $e (i32.add (local.get $x) (i32.const 1))))))
      (catch $e)))
)
