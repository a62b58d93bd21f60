;; The SIMD (f64x2) inner loops of eigenflow's float64 linear algebra (src/linalg).
;;
;; Built by `npm run build:kernels` (scripts/build-kernels.mjs, wabt's wat2wasm) into
;; src/linalg/wasmKernelBinary.ts; src/linalg/wasmKernel.ts loads it. Each function does exactly
;; what a TypeScript loop in src/linalg does (named at each function), with the same operations
;; in the same order, so both paths give the same numbers up to the order of a dot product's
;; partial sums (two lanes here).
;;
;; Conventions: every pointer is a BYTE offset into the imported memory; matrices are row-major
;; float64; a "row" pointer plus a byte column offset `j` addresses one entry. Every loop runs two
;; entries at a time (one v128 = two f64) while two remain, then does at most one scalar entry.
;; Unaligned v128 accesses are allowed by WebAssembly; `align=8` states what we guarantee.
(module
  ;; Shared, so that worker threads can run the same kernels on disjoint rows of one matrix
  ;; (src/linalg/threads.ts). Callers give each memory a maximum equal to its initial size.
  (import "env" "mem" (memory 1 65536 shared))

  ;; rows(a, n, first, last, k, w, u, p, tl, tr, scale) — step k of the one-pass
  ;; bidiagonalisation (bidiag.ts, `rowsJs`) on rows first..last−1 (all of them: k+1..m−1; a
  ;; worker thread takes a slice). For each such row i of the matrix at `a` (n columns):
  ;;   v_i = a[i,k]·scale (stored back: the left reflector's vector), cl = tl·v_i
  ;;   a[i,j] −= cl·w[j]            for j > k     (left reflector H_k)
  ;;   s = tr · Σ_{j>k} a[i,j]·u[j]                (dot with the right reflector's vector)
  ;;   a[i,j] −= s·u[j]              for j > k     (right reflector G_k; u[k+1] = 1)
  ;;   p[j] += x0·a[i,j]             for j > k+1   (next step's P, x0 = new a[i,k+1], 0 on row k+1)
  (func (export "rows")
    (param $a i32) (param $n i32) (param $first i32) (param $last i32) (param $k i32)
    (param $w i32) (param $u i32) (param $p i32)
    (param $tl f64) (param $tr f64) (param $scale f64)
    (local $i i32) (local $row i32) (local $j i32) (local $end i32) (local $k1 i32)
    (local $vi f64) (local $cl f64) (local $s f64) (local $x0 f64) (local $xs f64)
    (local $acc v128) (local $clv v128) (local $sv v128) (local $x v128) (local $x0v v128)
    ;; end = row length in bytes; k1 = byte offset of column k+1; i = first
    (local.set $end (i32.mul (local.get $n) (i32.const 8)))
    (local.set $k1 (i32.mul (i32.add (local.get $k) (i32.const 1)) (i32.const 8)))
    (local.set $i (local.get $first))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $last)))
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $end))))
        ;; v_i = a[i,k]·scale, stored back; cl = tl·v_i
        (f64.store align=8
          (i32.add (local.get $row) (i32.mul (local.get $k) (i32.const 8)))
          (local.tee $vi
            (f64.mul
              (f64.load align=8 (i32.add (local.get $row) (i32.mul (local.get $k) (i32.const 8))))
              (local.get $scale))))
        (local.set $clv (f64x2.splat (local.tee $cl (f64.mul (local.get $tl) (local.get $vi)))))
        (local.set $acc (f64x2.splat (f64.const 0)))
        ;; pass 1 over j = k+1 ..: x = a[i,j] − cl·w[j]; a[i,j] = x; acc += x·u[j]
        (local.set $j (local.get $k1))
        (block $pass1_done
          (loop $pass1
            (br_if $pass1_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $clv) (v128.load align=8 (i32.add (local.get $w) (local.get $j)))))))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $x) (v128.load align=8 (i32.add (local.get $u) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass1)))
        (local.set $s
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then ;; the odd last entry
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $xs
                (f64.sub
                  (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64.mul (local.get $cl) (f64.load align=8 (i32.add (local.get $w) (local.get $j)))))))
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul (local.get $xs) (f64.load align=8 (i32.add (local.get $u) (local.get $j))))))))
        (local.set $s (f64.mul (local.get $s) (local.get $tr)))
        ;; column k+1 (u[k+1] = 1): xs = a[i,k+1] − s; x0 = xs except on row k+1, where it is 0
        (f64.store align=8
          (i32.add (local.get $row) (local.get $k1))
          (local.tee $xs
            (f64.sub (f64.load align=8 (i32.add (local.get $row) (local.get $k1))) (local.get $s))))
        (local.set $x0
          (select (local.get $xs) (f64.const 0)
            (i32.gt_s (local.get $i) (i32.add (local.get $k) (i32.const 1)))))
        (local.set $sv (f64x2.splat (local.get $s)))
        (local.set $x0v (f64x2.splat (local.get $x0)))
        ;; pass 2 over j = k+2 ..: x = a[i,j] − s·u[j]; a[i,j] = x; p[j] += x0·x
        (local.set $j (i32.add (local.get $k1) (i32.const 8)))
        (block $pass2_done
          (loop $pass2
            (br_if $pass2_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64x2.sub
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64x2.mul (local.get $sv) (v128.load align=8 (i32.add (local.get $u) (local.get $j)))))))
            (v128.store align=8
              (i32.add (local.get $p) (local.get $j))
              (f64x2.add
                (v128.load align=8 (i32.add (local.get $p) (local.get $j)))
                (f64x2.mul (local.get $x0v) (local.get $x))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass2)))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then ;; the odd last entry
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $xs
                (f64.sub
                  (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64.mul (local.get $s) (f64.load align=8 (i32.add (local.get $u) (local.get $j)))))))
            (f64.store align=8
              (i32.add (local.get $p) (local.get $j))
              (f64.add
                (f64.load align=8 (i32.add (local.get $p) (local.get $j)))
                (f64.mul (local.get $x0) (local.get $xs))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; tri(a, n, lo, first, last, v, w, vn, yn) — one step of the one-pass tridiagonalisation
  ;; (tridiag.ts, the TypeScript loop in `reduce`) on rows first..last−1 (all of them: lo..n−1;
  ;; a worker thread takes a slice). For each such row i of the lower triangle of the n×n `a`:
  ;;   a[i,j] −= v_i·w_j + w_i·v_j     for lo ≤ j < i   (the symmetric rank-2 update)
  ;;   a[i,i] −= 2·v_i·w_i
  ;;   yn += A·vn with the updated entries: yn[i] += Σ_j a[i,j]·vn[j] + a[i,i]·vn[i] (row dot)
  ;;                                       and yn[j] += a[i,j]·vn[i] (column axpy)
  (func (export "tri")
    (param $a i32) (param $n i32) (param $lo i32) (param $first i32) (param $last i32)
    (param $v i32) (param $w i32) (param $vn i32) (param $yn i32)
    (local $i i32) (local $row i32) (local $j i32) (local $lim i32) (local $lo8 i32)
    (local $vi f64) (local $wi f64) (local $vni f64) (local $s f64) (local $x f64) (local $d f64)
    (local $viv v128) (local $wiv v128) (local $vniv v128) (local $acc v128) (local $xv v128)
    (local.set $lo8 (i32.mul (local.get $lo) (i32.const 8)))
    (local.set $i (local.get $first))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $last)))
        (local.set $row
          (i32.add (local.get $a) (i32.mul (i32.mul (local.get $i) (local.get $n)) (i32.const 8))))
        ;; lim = byte offset of the diagonal entry (column i)
        (local.set $lim (i32.mul (local.get $i) (i32.const 8)))
        (local.set $viv (f64x2.splat (local.tee $vi (f64.load align=8 (i32.add (local.get $v) (local.get $lim))))))
        (local.set $wiv (f64x2.splat (local.tee $wi (f64.load align=8 (i32.add (local.get $w) (local.get $lim))))))
        (local.set $vniv (f64x2.splat (local.tee $vni (f64.load align=8 (i32.add (local.get $vn) (local.get $lim))))))
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $j (local.get $lo8))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $lim)))
            ;; x = a[i,j] − v_i·w_j − w_i·v_j
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $xv
                (f64x2.sub
                  (f64x2.sub
                    (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                    (f64x2.mul (local.get $viv) (v128.load align=8 (i32.add (local.get $w) (local.get $j)))))
                  (f64x2.mul (local.get $wiv) (v128.load align=8 (i32.add (local.get $v) (local.get $j)))))))
            ;; acc += x·vn_j ; yn_j += x·vn_i
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul (local.get $xv) (v128.load align=8 (i32.add (local.get $vn) (local.get $j))))))
            (v128.store align=8
              (i32.add (local.get $yn) (local.get $j))
              (f64x2.add
                (v128.load align=8 (i32.add (local.get $yn) (local.get $j)))
                (f64x2.mul (local.get $xv) (local.get $vniv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $s
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_s (local.get $j) (local.get $lim))
          (then ;; the odd last entry before the diagonal
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (local.tee $x
                (f64.sub
                  (f64.sub
                    (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                    (f64.mul (local.get $vi) (f64.load align=8 (i32.add (local.get $w) (local.get $j)))))
                  (f64.mul (local.get $wi) (f64.load align=8 (i32.add (local.get $v) (local.get $j)))))))
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul (local.get $x) (f64.load align=8 (i32.add (local.get $vn) (local.get $j))))))
            (f64.store align=8
              (i32.add (local.get $yn) (local.get $j))
              (f64.add
                (f64.load align=8 (i32.add (local.get $yn) (local.get $j)))
                (f64.mul (local.get $x) (local.get $vni))))))
        ;; diagonal: d = a[i,i] − 2·v_i·w_i; yn_i += s + d·vn_i
        (f64.store align=8
          (i32.add (local.get $row) (local.get $lim))
          (local.tee $d
            (f64.sub
              (f64.load align=8 (i32.add (local.get $row) (local.get $lim)))
              (f64.mul (f64.mul (f64.const 2) (local.get $vi)) (local.get $wi)))))
        (f64.store align=8
          (i32.add (local.get $yn) (local.get $lim))
          (f64.add
            (f64.add (f64.load align=8 (i32.add (local.get $yn) (local.get $lim))) (local.get $s))
            (f64.mul (local.get $d) (local.get $vni))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; refl(base, rows, stride, len, v, tau) — apply one Householder reflector I − τ·v·vᵀ from the
  ;; right to `rows` rows of `len` entries, the first at `base`, `stride` bytes apart
  ;; (bidiag.ts `formUt`/`formVt`, tridiag.ts `formQt`): s = τ·(row·v); row −= s·v.
  (func (export "refl")
    (param $base i32) (param $rows i32) (param $stride i32) (param $len i32) (param $v i32) (param $tau f64)
    (local $row i32) (local $j i32) (local $end i32) (local $i i32)
    (local $s f64) (local $x f64)
    (local $acc v128) (local $sv v128)
    (local.set $end (i32.mul (local.get $len) (i32.const 8)))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $row (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $stride))))
        ;; s = row·v
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $j (i32.const 0))
        (block $dot_done
          (loop $dot
            (br_if $dot_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (local.set $acc
              (f64x2.add (local.get $acc)
                (f64x2.mul
                  (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (v128.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $dot)))
        (local.set $s
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul
                  (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                  (f64.load align=8 (i32.add (local.get $v) (local.get $j))))))))
        ;; s ·= τ; row −= s·v
        (local.set $sv (f64x2.splat (local.tee $s (f64.mul (local.get $s) (local.get $tau)))))
        (local.set $j (i32.const 0))
        (block $axpy_done
          (loop $axpy
            (br_if $axpy_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
            (v128.store align=8
              (i32.add (local.get $row) (local.get $j))
              (f64x2.sub
                (v128.load align=8 (i32.add (local.get $row) (local.get $j)))
                (f64x2.mul (local.get $sv) (v128.load align=8 (i32.add (local.get $v) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $axpy)))
        (if (i32.lt_s (local.get $j) (local.get $end))
          (then
            (f64.store align=8
              (i32.add (local.get $row) (local.get $j))
              (f64.sub
                (f64.load align=8 (i32.add (local.get $row) (local.get $j)))
                (f64.mul (local.get $s) (f64.load align=8 (i32.add (local.get $v) (local.get $j))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each_row))))

  ;; rot(p, q, len, c, s) — a plane rotation of two rows of `len` entries at p and q
  ;; (bdsqr.ts and tridiag.ts `rot`): p ← c·p + s·q, q ← c·q − s·p.
  (func (export "rot")
    (param $p i32) (param $q i32) (param $len i32) (param $c f64) (param $s f64)
    (local $j i32) (local $end i32)
    (local $x f64) (local $y f64)
    (local $cv v128) (local $sv v128) (local $xv v128) (local $yv v128)
    (local.set $end (i32.mul (local.get $len) (i32.const 8)))
    (local.set $j (i32.const 0))
    (local.set $cv (f64x2.splat (local.get $c)))
    (local.set $sv (f64x2.splat (local.get $s)))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
        (local.set $xv (v128.load align=8 (i32.add (local.get $p) (local.get $j))))
        (local.set $yv (v128.load align=8 (i32.add (local.get $q) (local.get $j))))
        (v128.store align=8
          (i32.add (local.get $p) (local.get $j))
          (f64x2.add (f64x2.mul (local.get $cv) (local.get $xv)) (f64x2.mul (local.get $sv) (local.get $yv))))
        (v128.store align=8
          (i32.add (local.get $q) (local.get $j))
          (f64x2.sub (f64x2.mul (local.get $cv) (local.get $yv)) (f64x2.mul (local.get $sv) (local.get $xv))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_s (local.get $j) (local.get $end))
      (then ;; the odd last entry
        (local.set $x (f64.load align=8 (i32.add (local.get $p) (local.get $j))))
        (local.set $y (f64.load align=8 (i32.add (local.get $q) (local.get $j))))
        (f64.store align=8
          (i32.add (local.get $p) (local.get $j))
          (f64.add (f64.mul (local.get $c) (local.get $x)) (f64.mul (local.get $s) (local.get $y))))
        (f64.store align=8
          (i32.add (local.get $q) (local.get $j))
          (f64.sub (f64.mul (local.get $c) (local.get $y)) (f64.mul (local.get $s) (local.get $x)))))))
)
