;; The loss and gradient of the CiS residual MLP y = W2·relu(W1 x) + Wn x against relu(x), for one
;; model and one sparse batch, in float32 WebAssembly SIMD: the hot loop of optim.trainResidualMLP.
;; nodes/optim/residualStepInternals.ts derives the algebra, lays out the memory and runs a step:
;; the dense products (G = W2ᵀW2, A = WnᵀW2, W2·HᵀH, Wn·XᵀH) on @eigenflow/linalg's float32 gemm
;; on the same memory, `rows` (the sparse pass over the batch) and `finish` (∂L/∂W2) here.
;; `npm run build:kernels` assembles this file into nodes/optim/residualStepKernelBinary.ts.
;;
;; Conventions: every pointer is a BYTE offset into the module's memory. Dense n × m and m × m
;; matrices are stored as padded rows of mp float32 (mp = m rounded up to a multiple of 4, so a row
;; is rb = 4·mp bytes = mp/4 SIMD vectors); padding entries are zero on entry and stay zero, so
;; every vector loop runs over whole rows.
(module
  (import "env" "mem" (memory 1))

  ;; rows(n, m, mp, rows, rowPtr, col, val, w1, w2, wn, mn, noise, g1, G, CP, CN, PP, PN, HH, scratch, s)
  ;;   → Σ_b ‖W2 h_b + z_b‖²
  ;;
  ;; Inputs: the batch in compressed rows (rowPtr: rows + 1 int32; col: int32; val: float32),
  ;; W1ᵀ at w1 and W2 at w2 (n padded rows each), Wn at wn (n × n float32, row-major), M = WnᵀWn at
  ;; mn (n × n float64), G = W2ᵀW2 (mp padded rows), A = WnᵀW2 at CN (n padded rows; not read when
  ;; noise = 0, i.e. Wn = I, where A = W2), s = 2/(rows·n).
  ;; Outputs: ∂L/∂W1ᵀ at g1; P⁺ = relu(X)ᵀH at PP and at PN P⁻ = XᵀH − P⁺ (or, when noise = 1,
  ;; XᵀH itself); HᵀH at HH (mp padded rows); C⁺ = A − W2 at CP (and A at CN). Scratch: 4·rb + 4m bytes.
  (func (export "rows")
    (param $n i32) (param $m i32) (param $mp i32) (param $rows i32)
    (param $rowPtr i32) (param $col i32) (param $val i32)
    (param $w1 i32) (param $w2 i32) (param $wn i32) (param $mn i32) (param $noise i32)
    (param $g1 i32) (param $G i32) (param $CP i32) (param $CN i32) (param $PP i32) (param $PN i32) (param $HH i32)
    (param $scratch i32) (param $s f32)
    (result f64)
    (local $rb i32) (local $nrb i32)
    (local $h i32) (local $hg i32) (local $c i32) (local $d i32) (local $act i32)
    (local $i i32) (local $j i32) (local $b i32) (local $k i32) (local $l i32)
    (local $k0 i32) (local $k1 i32) (local $cnt i32) (local $t i32) (local $row i32) (local $src i32)
    (local $v f32) (local $vv v128) (local $hv v128) (local $hgv v128) (local $cv v128) (local $acc v128) (local $sv v128)
    (local $loss f64) (local $x f64) (local $rx f64) (local $xl f64) (local $ck i32)
    (local.set $rb (i32.shl (local.get $mp) (i32.const 2)))
    (local.set $nrb (i32.mul (local.get $n) (local.get $rb)))
    (local.set $h (local.get $scratch))
    (local.set $hg (i32.add (local.get $h) (local.get $rb)))
    (local.set $c (i32.add (local.get $hg) (local.get $rb)))
    (local.set $d (i32.add (local.get $c) (local.get $rb)))
    (local.set $act (i32.add (local.get $d) (local.get $rb)))
    (memory.fill (local.get $PP) (i32.const 0) (local.get $nrb))
    (memory.fill (local.get $PN) (i32.const 0) (local.get $nrb))
    (memory.fill (local.get $HH) (i32.const 0) (i32.mul (local.get $mp) (local.get $rb)))
    (memory.fill (local.get $g1) (i32.const 0) (local.get $nrb))

    ;; The sign tables: C⁻ = A (= W2 when Wn = I), C⁺ = A − W2.
    (if (i32.eqz (local.get $noise)) (then (memory.copy (local.get $CN) (local.get $w2) (local.get $nrb))))
    (local.set $j (i32.const 0))
    (loop $c_plus
      (v128.store (i32.add (local.get $CP) (local.get $j))
        (f32x4.sub (v128.load (i32.add (local.get $CN) (local.get $j))) (v128.load (i32.add (local.get $w2) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $c_plus (i32.lt_u (local.get $j) (local.get $nrb))))

    ;; One pass over the rows with an active feature (a row without one adds nothing).
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $b (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $k0 (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $k1 (i32.load (i32.add (local.get $rowPtr) (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 2)))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $rows (i32.ge_s (local.get $k0) (local.get $k1)))

        ;; Zero the row vectors h, c, hg (a loop: memory.fill of a few bytes is a call into the runtime).
        (local.set $j (i32.const 0))
        (loop $vec
          (v128.store (i32.add (local.get $h) (local.get $j)) (v128.const i32x4 0 0 0 0))
          (v128.store (i32.add (local.get $c) (local.get $j)) (v128.const i32x4 0 0 0 0))
          (v128.store (i32.add (local.get $hg) (local.get $j)) (v128.const i32x4 0 0 0 0))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $j) (local.get $rb))))
        ;; h = relu(W1 x) = relu(Σ_k v_k·W1ᵀ[c_k, :])
        (local.set $k (local.get $k0))
        (loop $pre
          (local.set $vv (f32x4.splat (f32.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $src (i32.add (local.get $w1) (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))) (local.get $rb))))
          (local.set $j (i32.const 0))
          (loop $vec
            (v128.store (i32.add (local.get $h) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $h) (local.get $j)))
                         (f32x4.mul (local.get $vv) (v128.load (i32.add (local.get $src) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $vec (i32.lt_u (local.get $j) (local.get $rb))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $pre (i32.lt_s (local.get $k) (local.get $k1))))
        ;; relu by max(·, +0): NaN stays NaN (a diverged loss must show), −0 becomes +0.
        (local.set $j (i32.const 0))
        (loop $vec
          (v128.store (i32.add (local.get $h) (local.get $j))
            (f32x4.max (v128.load (i32.add (local.get $h) (local.get $j))) (v128.const f32x4 0 0 0 0)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $j) (local.get $rb))))

        ;; XᵀH split by the sign of x: P⁺[c_k, :] += v_k·h (v_k > 0), P⁻ likewise (v_k < 0).
        ;; c = W2ᵀ z = Σ_k v_k·C[c_k, :] with C = C⁺ for v_k > 0 and C⁻ for v_k < 0. Chosen by
        ;; `select`, not a branch: the signs are random and a branch would be mispredicted half the time.
        (local.set $k (local.get $k0))
        (loop $scatter
          (local.set $v (f32.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 2)))))
          (local.set $vv (f32x4.splat (local.get $v)))
          (local.set $ck (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))) (local.get $rb)))
          (local.set $row (i32.add (select (local.get $PN) (local.get $PP) (f32.lt (local.get $v) (f32.const 0))) (local.get $ck)))
          (local.set $src (i32.add (select (local.get $CN) (local.get $CP) (f32.lt (local.get $v) (f32.const 0))) (local.get $ck)))
          (local.set $j (i32.const 0))
          (loop $vec
            (v128.store (i32.add (local.get $row) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $row) (local.get $j)))
                         (f32x4.mul (local.get $vv) (v128.load (i32.add (local.get $h) (local.get $j))))))
            (v128.store (i32.add (local.get $c) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $c) (local.get $j)))
                         (f32x4.mul (local.get $vv) (v128.load (i32.add (local.get $src) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $vec (i32.lt_u (local.get $j) (local.get $rb))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $scatter (i32.lt_s (local.get $k) (local.get $k1))))

        ;; The units with h_i > 0, listed without a branch (about half of them, by relu).
        (local.set $cnt (i32.const 0))
        (local.set $i (i32.const 0))
        (loop $list
          (i32.store (i32.add (local.get $act) (i32.shl (local.get $cnt) (i32.const 2))) (local.get $i))
          (local.set $cnt (i32.add (local.get $cnt)
            (f32.gt (f32.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 2)))) (f32.const 0))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $list (i32.lt_u (local.get $i) (local.get $m))))

        ;; hg = G h and HᵀH += h hᵀ, over the active units only.
        (local.set $t (i32.const 0))
        (block $units_done
          (loop $units
            (br_if $units_done (i32.ge_u (local.get $t) (local.get $cnt)))
            (local.set $i (i32.load (i32.add (local.get $act) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $vv (f32x4.splat (f32.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $src (i32.add (local.get $G) (i32.mul (local.get $i) (local.get $rb))))
            (local.set $row (i32.add (local.get $HH) (i32.mul (local.get $i) (local.get $rb))))
            (local.set $j (i32.const 0))
            (loop $vec
              (v128.store (i32.add (local.get $hg) (local.get $j))
                (f32x4.add (v128.load (i32.add (local.get $hg) (local.get $j)))
                           (f32x4.mul (local.get $vv) (v128.load (i32.add (local.get $src) (local.get $j))))))
              (v128.store (i32.add (local.get $row) (local.get $j))
                (f32x4.add (v128.load (i32.add (local.get $row) (local.get $j)))
                           (f32x4.mul (local.get $vv) (v128.load (i32.add (local.get $h) (local.get $j))))))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br_if $vec (i32.lt_u (local.get $j) (local.get $rb))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $units)))

        ;; hᵀG h + 2 hᵀc into the loss; d = ∂L/∂pre = s·(G h + c) where h > 0, else 0.
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (loop $vec
          (local.set $hv (v128.load (i32.add (local.get $h) (local.get $j))))
          (local.set $hgv (v128.load (i32.add (local.get $hg) (local.get $j))))
          (local.set $cv (v128.load (i32.add (local.get $c) (local.get $j))))
          (local.set $acc (f32x4.add (local.get $acc)
            (f32x4.mul (local.get $hv) (f32x4.add (local.get $hgv) (f32x4.add (local.get $cv) (local.get $cv))))))
          (v128.store (i32.add (local.get $d) (local.get $j))
            (v128.and (f32x4.mul (local.get $sv) (f32x4.add (local.get $hgv) (local.get $cv)))
                      (f32x4.gt (local.get $hv) (v128.const f32x4 0 0 0 0))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $j) (local.get $rb))))
        (local.set $loss (f64.add (local.get $loss) (f64.promote_f32 (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))))

        ;; ∂L/∂W1ᵀ[c_k, :] += v_k·d, and ‖z‖² = xᵀMx − 2 relu(x)ᵀWn x + ‖relu(x)‖² over pairs of
        ;; active features, in float64.
        (local.set $k (local.get $k0))
        (loop $grad
          (local.set $x (f64.promote_f32 (f32.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $vv (f32x4.splat (f32.demote_f64 (local.get $x))))
          (local.set $ck (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))))
          (local.set $row (i32.add (local.get $g1) (i32.mul (local.get $ck) (local.get $rb))))
          (local.set $j (i32.const 0))
          (loop $vec
            (v128.store (i32.add (local.get $row) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $row) (local.get $j)))
                         (f32x4.mul (local.get $vv) (v128.load (i32.add (local.get $d) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $vec (i32.lt_u (local.get $j) (local.get $rb))))
          (local.set $rx (f64.mul (f64.add (local.get $x) (f64.abs (local.get $x))) (f64.const 0.5)))
          (local.set $l (local.get $k0))
          (loop $pairs
            (local.set $xl (f64.promote_f32 (f32.load (i32.add (local.get $val) (i32.shl (local.get $l) (i32.const 2))))))
            (local.set $i (i32.add (i32.mul (local.get $ck) (local.get $n))
              (i32.load (i32.add (local.get $col) (i32.shl (local.get $l) (i32.const 2))))))
            (local.set $loss (f64.add (local.get $loss) (f64.sub
              (f64.mul (f64.mul (local.get $x) (local.get $xl)) (f64.load (i32.add (local.get $mn) (i32.shl (local.get $i) (i32.const 3)))))
              (f64.mul (f64.mul (f64.mul (f64.const 2) (local.get $rx)) (local.get $xl))
                       (f64.promote_f32 (f32.load (i32.add (local.get $wn) (i32.shl (local.get $i) (i32.const 2)))))))))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br_if $pairs (i32.lt_s (local.get $l) (local.get $k1))))
          (local.set $loss (f64.add (local.get $loss) (f64.mul (local.get $rx) (local.get $rx))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $grad (i32.lt_s (local.get $k) (local.get $k1))))
        (br $rows)))

    ;; With noise, the caller multiplies Wn by XᵀH = P⁺ + P⁻: form it in PN.
    (if (local.get $noise)
      (then
        (local.set $j (i32.const 0))
        (loop $p_sum
          (v128.store (i32.add (local.get $PN) (local.get $j))
            (f32x4.add (v128.load (i32.add (local.get $PN) (local.get $j))) (v128.load (i32.add (local.get $PP) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $p_sum (i32.lt_u (local.get $j) (local.get $nrb))))))
    (local.get $loss))

  ;; finish(nrb, g2, PP, PN, WP, noise, s): ∂L/∂W2 = s·(W2·HᵀH + Wn·XᵀH − P⁺), over nrb bytes of
  ;; padded rows. g2 holds W2·HᵀH on entry; WP holds Wn·XᵀH (noise = 1); with Wn = I the last two
  ;; terms are P⁻ (at PN).
  (func (export "finish")
    (param $nrb i32) (param $g2 i32) (param $PP i32) (param $PN i32) (param $WP i32) (param $noise i32) (param $s f32)
    (local $j i32) (local $sv v128)
    (local.set $sv (f32x4.splat (local.get $s)))
    (loop $vec
      (v128.store (i32.add (local.get $g2) (local.get $j))
        (f32x4.mul (local.get $sv) (f32x4.add (v128.load (i32.add (local.get $g2) (local.get $j)))
          (if (result v128) (local.get $noise)
            (then (f32x4.sub (v128.load (i32.add (local.get $WP) (local.get $j))) (v128.load (i32.add (local.get $PP) (local.get $j)))))
            (else (v128.load (i32.add (local.get $PN) (local.get $j))))))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $vec (i32.lt_u (local.get $j) (local.get $nrb)))))
)
