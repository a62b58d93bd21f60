;; Adam and AdamW (PyTorch's update rule) on float32 parameters with float64 moments, two entries
;; per SIMD instruction: the optimizer step of optim.trainResidualMLP, which updates every weight
;; of every member every step. nodes/optim/optimInternals.ts copies a parameter block and its
;; gradient in, calls `adam`, and copies the parameters out; the moments stay in this memory.
;; The arithmetic is the JavaScript formula's, operation for operation, in float64, so the result
;; is the same to the bit.
;;
;; Pointers are BYTE offsets into the imported memory.
(module
  (import "env" "mem" (memory 1))

  ;; adam(p, g, m, v, len, shrink, l2, b1, ob1, b2, ob2, lr, c1, c2, eps), for each entry:
  ;;   p' = shrink·p, g' = g + l2·p, m = b1·m + ob1·g', v = b2·v + ob2·g'·g',
  ;;   p = p' − lr·(m/c1) / (√(v/c2) + eps)
  ;; p, g: len float32; m, v: len float64 (16-byte aligned). AdamW: shrink = 1 − lr·wd, l2 = 0;
  ;; Adam: shrink = 1, l2 = wd. ob1 = 1 − b1, ob2 = 1 − b2, c1 = 1 − b1ᵗ, c2 = 1 − b2ᵗ.
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $len i32)
    (param $shrink f64) (param $l2 f64) (param $b1 f64) (param $ob1 f64) (param $b2 f64) (param $ob2 f64)
    (param $lr f64) (param $c1 f64) (param $c2 f64) (param $eps f64)
    (local $i i32) (local $pv v128) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $ps f64) (local $gs f64) (local $ms f64) (local $vs f64)
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $len)))
        (local.set $pv (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $gv (f64x2.add (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 2)))))
                                  (f64x2.mul (f64x2.splat (local.get $l2)) (local.get $pv))))
        (local.set $mv (f64x2.add (f64x2.mul (f64x2.splat (local.get $b1)) (v128.load (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3)))))
                                  (f64x2.mul (f64x2.splat (local.get $ob1)) (local.get $gv))))
        (local.set $vv (f64x2.add (f64x2.mul (f64x2.splat (local.get $b2)) (v128.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))
                                  (f64x2.mul (f64x2.mul (f64x2.splat (local.get $ob2)) (local.get $gv)) (local.get $gv))))
        (v128.store (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3))) (local.get $mv))
        (v128.store (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3))) (local.get $vv))
        (v128.store64_lane 0 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
          (f32x4.demote_f64x2_zero
            (f64x2.sub (f64x2.mul (f64x2.splat (local.get $shrink)) (local.get $pv))
              (f64x2.div (f64x2.mul (f64x2.splat (local.get $lr)) (f64x2.div (local.get $mv) (f64x2.splat (local.get $c1))))
                         (f64x2.add (f64x2.sqrt (f64x2.div (local.get $vv) (f64x2.splat (local.get $c2)))) (f64x2.splat (local.get $eps)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; An odd last entry, the same formula on scalars.
    (if (i32.lt_u (local.get $i) (local.get $len))
      (then
        (local.set $ps (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $gs (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 2)))))
                                (f64.mul (local.get $l2) (local.get $ps))))
        (local.set $ms (f64.add (f64.mul (local.get $b1) (f64.load (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3)))))
                                (f64.mul (local.get $ob1) (local.get $gs))))
        (local.set $vs (f64.add (f64.mul (local.get $b2) (f64.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))
                                (f64.mul (f64.mul (local.get $ob2) (local.get $gs)) (local.get $gs))))
        (f64.store (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3))) (local.get $ms))
        (f64.store (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3))) (local.get $vs))
        (f32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
          (f32.demote_f64
            (f64.sub (f64.mul (local.get $shrink) (local.get $ps))
              (f64.div (f64.mul (local.get $lr) (f64.div (local.get $ms) (local.get $c1)))
                       (f64.add (f64.sqrt (f64.div (local.get $vs) (local.get $c2))) (local.get $eps))))))))))
