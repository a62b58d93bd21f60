;; The SIMD (f64x2) FFT kernels behind `convolve` (src/fft.ts, src/fftWasm.ts).
;;
;; Built by `npm run build:kernels` (scripts/build-kernels.mjs, wabt's wat2wasm) into
;; src/fftKernelBinary.ts; src/fftWasm.ts loads it, sizes the memory for one call,
;; fills the twiddle tables (from Math.cos/Math.sin, never by recurrence) and drives the passes.
;;
;; Conventions (the twiddle tables are written by fftWasm.ts)
;; - Every pointer is a BYTE offset into the imported memory.
;; - A complex number is one v128: lane 0 the real part, lane 1 the imaginary part. An array of M
;;   complex numbers is therefore 2M interleaved float64s, and a real sequence x read as complex
;;   numbers is z_j = x_{2j} + i·x_{2j+1}, which is how the real transform packs its input.
;; - The forward transform is decimation in frequency (DIF): natural order in, BIT-REVERSED order
;;   out. The inverse is decimation in time (DIT): bit-reversed in, natural order out. A
;;   convolution never needs the permutation (the spectrum product works in bit-reversed order).
;; - A radix-4 pass of span n is two radix-2 passes (spans n and n/2) fused, so it leaves the
;;   entries in the same (bit-reversed) order. In each block of n entries, with q = n/4 and
;;   w = e^{−2πi/n}, entry k < q and its partners k+q, k+2q, k+3q (x0..x3) become
;;     t0 = x0 + x2, t1 = x0 − x2, t2 = x1 + x3, t3 = −i·(x1 − x3)
;;     y0 = t0 + t2                   stored at k
;;     y2 = (t0 − t2)·w^{2k}          stored at k+q
;;     y1 = (t1 + t3)·w^{k}           stored at k+2q
;;     y3 = ((t1 − t3)·w^{k})·w^{2k}  stored at k+3q
;;   (y_r feeds the outputs X_{4m+r}). Only the two radix-2 twiddles w^k and w^{2k} are used,
;;   each a value of Math.cos/sin: no twiddle is a product of others.
;; - The stage table of span n holds, for each k < q, w^k then w^{2k} as (re, im): 32 bytes per k.
;;   A twiddle w is applied as
;;       a·w       = a·WR + swap(a)·WI
;;       a·conj(w) = a·WR − swap(a)·WI,     WR = (re, re), WI = (−im, im)
;;   where swap exchanges the lanes; WR and WI are formed once per k with shuffles.
(module
  (import "env" "mem" (memory 1))

  ;; dif4(base, n, count, tw) — one forward radix-4 pass of span n (n ≥ 8, a power of two) over
  ;; `count` consecutive blocks of n complex entries starting at `base`; `tw` is the span's stage
  ;; table.
  (func (export "dif4") (param $base i32) (param $n i32) (param $count i32) (param $tw i32)
    (local $qb i32) (local $p i32) (local $end i32) (local $t i32) (local $blk i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $s v128) (local $d v128) (local $a v128) (local $w v128)
    (local $w1r v128) (local $w1i v128) (local $w2r v128) (local $w2i v128)
    ;; qb = bytes in a quarter block
    (local.set $qb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (local.get $base))
    (local.set $blk (local.get $count))
    (block $blocks_done
      (loop $each_block
        (br_if $blocks_done (i32.eqz (local.get $blk)))
        (local.set $end (i32.add (local.get $p) (local.get $qb)))
        (local.set $t (local.get $tw))
        (loop $each_k
          ;; the twiddles w^k, w^{2k} as (re, re) and (−im, im)
          (local.set $w (v128.load (local.get $t)))
          (local.set $w1r (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
          (local.set $w1i
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $w) (local.get $w))
              (v128.const f64x2 -0 0)))
          (local.set $w (v128.load offset=16 (local.get $t)))
          (local.set $w2r (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
          (local.set $w2i
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $w) (local.get $w))
              (v128.const f64x2 -0 0)))
          (local.set $x0 (v128.load (local.get $p)))
          (local.set $x1 (v128.load (i32.add (local.get $p) (local.get $qb))))
          (local.set $x2 (v128.load (i32.add (local.get $p) (i32.shl (local.get $qb) (i32.const 1)))))
          (local.set $x3 (v128.load (i32.add (local.get $p) (i32.mul (local.get $qb) (i32.const 3)))))
          ;; x0 ← t0 = x0 + x2, x2 ← t1 = x0 − x2; x1 ← t2 = x1 + x3, x3 ← t3 = −i·(x1 − x3) = (im, −re)
          (local.set $s (f64x2.add (local.get $x0) (local.get $x2)))
          (local.set $x2 (f64x2.sub (local.get $x0) (local.get $x2)))
          (local.set $x0 (local.get $s))
          (local.set $s (f64x2.add (local.get $x1) (local.get $x3)))
          (local.set $d (f64x2.sub (local.get $x1) (local.get $x3)))
          (local.set $x3
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d))
              (v128.const f64x2 0 -0)))
          (local.set $x1 (local.get $s))
          ;; y0 = t0 + t2
          (v128.store (local.get $p) (f64x2.add (local.get $x0) (local.get $x1)))
          ;; y2 = (t0 − t2)·w^{2k}  → quarter 1
          (local.set $a (f64x2.sub (local.get $x0) (local.get $x1)))
          (v128.store (i32.add (local.get $p) (local.get $qb))
            (f64x2.add
              (f64x2.mul (local.get $a) (local.get $w2r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))
                (local.get $w2i))))
          ;; y1 = (t1 + t3)·w^{k}  → quarter 2
          (local.set $a (f64x2.add (local.get $x2) (local.get $x3)))
          (v128.store (i32.add (local.get $p) (i32.shl (local.get $qb) (i32.const 1)))
            (f64x2.add
              (f64x2.mul (local.get $a) (local.get $w1r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))
                (local.get $w1i))))
          ;; y3 = ((t1 − t3)·w^{k})·w^{2k}  → quarter 3
          (local.set $a (f64x2.sub (local.get $x2) (local.get $x3)))
          (local.set $a
            (f64x2.add
              (f64x2.mul (local.get $a) (local.get $w1r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))
                (local.get $w1i))))
          (v128.store (i32.add (local.get $p) (i32.mul (local.get $qb) (i32.const 3)))
            (f64x2.add
              (f64x2.mul (local.get $a) (local.get $w2r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))
                (local.get $w2i))))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (br_if $each_k (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
        ;; next block: skip the three quarters just written through their partners
        (local.set $p (i32.add (local.get $p) (i32.mul (local.get $qb) (i32.const 3))))
        (local.set $blk (i32.sub (local.get $blk) (i32.const 1)))
        (br $each_block))))

  ;; dit4(base, n, count, tw) — one inverse radix-4 pass of span n, the two radix-2 passes of
  ;; dif4 undone in reverse order with conjugate twiddles (the exact inverse up to the factor 4).
  ;; With y0, y2, y1, y3 read from quarters 0, 1, 2, 3:
  ;;   u = y2·conj(w^{2k}), v = y3·conj(w^{2k})
  ;;   a0 = y0 + u, a1 = y0 − u, b0 = (y1 + v)·conj(w^k), b1 = i·(y1 − v)·conj(w^k)
  ;;   x0 = a0 + b0, x1 = a1 + b1, x2 = a0 − b0, x3 = a1 − b1
  (func (export "dit4") (param $base i32) (param $n i32) (param $count i32) (param $tw i32)
    (local $qb i32) (local $p i32) (local $end i32) (local $t i32) (local $blk i32)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $w v128)
    (local $w1r v128) (local $w1i v128) (local $w2r v128) (local $w2i v128)
    (local.set $qb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (local.get $base))
    (local.set $blk (local.get $count))
    (block $blocks_done
      (loop $each_block
        (br_if $blocks_done (i32.eqz (local.get $blk)))
        (local.set $end (i32.add (local.get $p) (local.get $qb)))
        (local.set $t (local.get $tw))
        (loop $each_k
          (local.set $w (v128.load (local.get $t)))
          (local.set $w1r (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
          (local.set $w1i
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $w) (local.get $w))
              (v128.const f64x2 -0 0)))
          (local.set $w (v128.load offset=16 (local.get $t)))
          (local.set $w2r (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
          (local.set $w2i
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $w) (local.get $w))
              (v128.const f64x2 -0 0)))
          (local.set $y0 (v128.load (local.get $p)))
          ;; quarter 1 holds y2: u = y2·conj(w^{2k}) (kept in y2)
          (local.set $y2 (v128.load (i32.add (local.get $p) (local.get $qb))))
          (local.set $y2
            (f64x2.sub
              (f64x2.mul (local.get $y2) (local.get $w2r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y2) (local.get $y2))
                (local.get $w2i))))
          ;; quarter 2 holds y1; quarter 3 holds y3: v = y3·conj(w^{2k}) (kept in y3)
          (local.set $y1 (v128.load (i32.add (local.get $p) (i32.shl (local.get $qb) (i32.const 1)))))
          (local.set $y3 (v128.load (i32.add (local.get $p) (i32.mul (local.get $qb) (i32.const 3)))))
          (local.set $y3
            (f64x2.sub
              (f64x2.mul (local.get $y3) (local.get $w2r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y3) (local.get $y3))
                (local.get $w2i))))
          (local.set $a0 (f64x2.add (local.get $y0) (local.get $y2)))
          (local.set $a1 (f64x2.sub (local.get $y0) (local.get $y2)))
          ;; b0 = (y1 + v)·conj(w^k)
          (local.set $b0 (f64x2.add (local.get $y1) (local.get $y3)))
          (local.set $b0
            (f64x2.sub
              (f64x2.mul (local.get $b0) (local.get $w1r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b0) (local.get $b0))
                (local.get $w1i))))
          ;; b1 = i·((y1 − v)·conj(w^k)); i·(re, im) = (−im, re)
          (local.set $b1 (f64x2.sub (local.get $y1) (local.get $y3)))
          (local.set $b1
            (f64x2.sub
              (f64x2.mul (local.get $b1) (local.get $w1r))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b1) (local.get $b1))
                (local.get $w1i))))
          (local.set $b1
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b1) (local.get $b1))
              (v128.const f64x2 -0 0)))
          (v128.store (local.get $p) (f64x2.add (local.get $a0) (local.get $b0)))
          (v128.store (i32.add (local.get $p) (local.get $qb)) (f64x2.add (local.get $a1) (local.get $b1)))
          (v128.store (i32.add (local.get $p) (i32.shl (local.get $qb) (i32.const 1))) (f64x2.sub (local.get $a0) (local.get $b0)))
          (v128.store (i32.add (local.get $p) (i32.mul (local.get $qb) (i32.const 3))) (f64x2.sub (local.get $a1) (local.get $b1)))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (br_if $each_k (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
        (local.set $p (i32.add (local.get $p) (i32.mul (local.get $qb) (i32.const 3))))
        (local.set $blk (i32.sub (local.get $blk) (i32.const 1)))
        (br $each_block))))

  ;; dif4s(base, count) / dit4s(base, count) — the radix-4 pass of span 4 (all twiddles 1) over
  ;; `count` blocks of 4 entries: dif4 and dit4 with q = 1 and no products.
  (func (export "dif4s") (param $base i32) (param $count i32)
    (local $p i32) (local $end i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $d v128)
    (local.set $p (local.get $base))
    (local.set $end (i32.add (local.get $base) (i32.shl (local.get $count) (i32.const 6))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x0 (v128.load (local.get $p)))
        (local.set $x1 (v128.load offset=16 (local.get $p)))
        (local.set $x2 (v128.load offset=32 (local.get $p)))
        (local.set $x3 (v128.load offset=48 (local.get $p)))
        (local.set $d (f64x2.sub (local.get $x0) (local.get $x2)))
        (local.set $x0 (f64x2.add (local.get $x0) (local.get $x2)))
        (local.set $x2 (local.get $d))
        (local.set $d (f64x2.sub (local.get $x1) (local.get $x3)))
        (local.set $x1 (f64x2.add (local.get $x1) (local.get $x3)))
        ;; x3 = −i·(x1 − x3)
        (local.set $x3
          (v128.xor
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d))
            (v128.const f64x2 0 -0)))
        (v128.store (local.get $p) (f64x2.add (local.get $x0) (local.get $x1)))
        (v128.store offset=16 (local.get $p) (f64x2.sub (local.get $x0) (local.get $x1)))
        (v128.store offset=32 (local.get $p) (f64x2.add (local.get $x2) (local.get $x3)))
        (v128.store offset=48 (local.get $p) (f64x2.sub (local.get $x2) (local.get $x3)))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $each))))

  (func (export "dit4s") (param $base i32) (param $count i32)
    (local $p i32) (local $end i32)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $p (local.get $base))
    (local.set $end (i32.add (local.get $base) (i32.shl (local.get $count) (i32.const 6))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $y0 (v128.load (local.get $p)))
        (local.set $y2 (v128.load offset=16 (local.get $p)))
        (local.set $y1 (v128.load offset=32 (local.get $p)))
        (local.set $y3 (v128.load offset=48 (local.get $p)))
        (local.set $a0 (f64x2.add (local.get $y0) (local.get $y2)))
        (local.set $a1 (f64x2.sub (local.get $y0) (local.get $y2)))
        (local.set $b0 (f64x2.add (local.get $y1) (local.get $y3)))
        (local.set $b1 (f64x2.sub (local.get $y1) (local.get $y3)))
        ;; b1 = i·(y1 − y3)
        (local.set $b1
          (v128.xor
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b1) (local.get $b1))
            (v128.const f64x2 -0 0)))
        (v128.store (local.get $p) (f64x2.add (local.get $a0) (local.get $b0)))
        (v128.store offset=16 (local.get $p) (f64x2.add (local.get $a1) (local.get $b1)))
        (v128.store offset=32 (local.get $p) (f64x2.sub (local.get $a0) (local.get $b0)))
        (v128.store offset=48 (local.get $p) (f64x2.sub (local.get $a1) (local.get $b1)))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $each))))

  ;; bfly2(base, count) — the radix-2 pass of span 2 (twiddle 1), forward and inverse alike:
  ;; (x0, x1) ← (x0 + x1, x0 − x1) for `count` adjacent pairs. Used when log2 M is odd.
  (func (export "bfly2") (param $base i32) (param $count i32)
    (local $p i32) (local $end i32) (local $x0 v128) (local $x1 v128)
    (local.set $p (local.get $base))
    (local.set $end (i32.add (local.get $base) (i32.shl (local.get $count) (i32.const 5))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x0 (v128.load (local.get $p)))
        (local.set $x1 (v128.load offset=16 (local.get $p)))
        (v128.store (local.get $p) (f64x2.add (local.get $x0) (local.get $x1)))
        (v128.store offset=16 (local.get $p) (f64x2.sub (local.get $x0) (local.get $x1)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $each))))

  ;; spectrum(za, zb, tw, m, scale) — the middle of a real convolution of size N = 2m. za and zb
  ;; hold Z = FFT_m(z) in bit-reversed order for z_j = x_{2j} + i·x_{2j+1} (x = a, b). For each
  ;; k ∉ {0, m/2} (positions 0 and 1, done by the caller) it forms the real spectra
  ;;   X_k = E + W·O, X_{m−k} = conj(E − W·O),  E = Z_k + conj Z_{m−k}, O = −i(Z_k − conj Z_{m−k}),
  ;; with W = W_k = e^{−2πik/N} (both X doubled: the factor is folded into `scale`), the products
  ;; C = Xa·Xb at k and m−k, and the packed spectrum of the output c (doubled again),
  ;;   Zc_k = F + i·G, Zc_{m−k} = conj F + i·conj G,  F = C_k + conj C_{m−k}, G = (C_k − conj C_{m−k})·conj W,
  ;; times `scale` (= 1/(8m) for the inverse), written over za. In bit-reversed order, k and
  ;; m − k sit in the same block [B, 2B) (B = 2, 4, …, m/2) at positions p and 3B − 1 − p, so
  ;; one sweep of the first half of every block meets each pair once. `tw` holds W_k for those p
  ;; in sweep order as (re, im), 16 bytes each.
  (func (export "spectrum") (param $za i32) (param $zb i32) (param $tw i32) (param $m i32) (param $scale f64)
    (local $B i32) (local $p i32) (local $q i32) (local $end i32) (local $off i32)
    (local $w v128) (local $wr v128) (local $wi v128) (local $sc v128)
    (local $z1 v128) (local $z2 v128) (local $e v128) (local $o v128)
    (local $xk v128) (local $xm v128) (local $yk v128) (local $ym v128)
    (local $ck v128) (local $cm v128)
    (local.set $sc (f64x2.splat (local.get $scale)))
    (local.set $B (i32.const 2))
    (block $blocks_done
      (loop $each_block
        (br_if $blocks_done (i32.ge_u (local.get $B) (local.get $m)))
        ;; positions p = B .. B + B/2 − 1 (as byte offsets), q = 3B − 1 − p (from 2B − 1 down)
        (local.set $p (i32.shl (local.get $B) (i32.const 4)))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $B) (i32.const 3))))
        (local.set $q (i32.shl (i32.sub (i32.shl (local.get $B) (i32.const 1)) (i32.const 1)) (i32.const 4)))
        (loop $each_pair
          (local.set $w (v128.load (local.get $tw)))
          (local.set $wr (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
          (local.set $wi
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $w) (local.get $w))
              (v128.const f64x2 -0 0)))
          ;; ---- a: Xa_k (xk), Xa_{m−k} (xm)
          (local.set $z1 (v128.load (i32.add (local.get $za) (local.get $p))))
          (local.set $z2 (v128.xor (v128.load (i32.add (local.get $za) (local.get $q))) (v128.const f64x2 0 -0)))
          (local.set $e (f64x2.add (local.get $z1) (local.get $z2)))
          (local.set $o (f64x2.sub (local.get $z1) (local.get $z2)))
          ;; o ← −i·o = (im, −re), then o ← W·o
          (local.set $o
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o) (local.get $o))
              (v128.const f64x2 0 -0)))
          (local.set $o
            (f64x2.add
              (f64x2.mul (local.get $o) (local.get $wr))
              (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o) (local.get $o)) (local.get $wi))))
          (local.set $xk (f64x2.add (local.get $e) (local.get $o)))
          (local.set $xm (v128.xor (f64x2.sub (local.get $e) (local.get $o)) (v128.const f64x2 0 -0)))
          ;; ---- b: Xb_k (yk), Xb_{m−k} (ym), the same statements
          (local.set $z1 (v128.load (i32.add (local.get $zb) (local.get $p))))
          (local.set $z2 (v128.xor (v128.load (i32.add (local.get $zb) (local.get $q))) (v128.const f64x2 0 -0)))
          (local.set $e (f64x2.add (local.get $z1) (local.get $z2)))
          (local.set $o (f64x2.sub (local.get $z1) (local.get $z2)))
          (local.set $o
            (v128.xor
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o) (local.get $o))
              (v128.const f64x2 0 -0)))
          (local.set $o
            (f64x2.add
              (f64x2.mul (local.get $o) (local.get $wr))
              (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o) (local.get $o)) (local.get $wi))))
          (local.set $yk (f64x2.add (local.get $e) (local.get $o)))
          (local.set $ym (v128.xor (f64x2.sub (local.get $e) (local.get $o)) (v128.const f64x2 0 -0)))
          ;; ---- C_k = xk·yk, C_{m−k} = xm·ym: x·y = x·(y.re, y.re) + swap(x)·(−y.im, y.im)
          (local.set $ck
            (f64x2.add
              (f64x2.mul (local.get $xk) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $yk) (local.get $yk)))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $xk) (local.get $xk))
                (v128.xor
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $yk) (local.get $yk))
                  (v128.const f64x2 -0 0)))))
          (local.set $cm
            (f64x2.add
              (f64x2.mul (local.get $xm) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $ym) (local.get $ym)))
              (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $xm) (local.get $xm))
                (v128.xor
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $ym) (local.get $ym))
                  (v128.const f64x2 -0 0)))))
          ;; ---- F = C_k + conj C_{m−k} (e), G = (C_k − conj C_{m−k})·conj W (o)
          (local.set $cm (v128.xor (local.get $cm) (v128.const f64x2 0 -0)))
          (local.set $e (f64x2.add (local.get $ck) (local.get $cm)))
          (local.set $o (f64x2.sub (local.get $ck) (local.get $cm)))
          (local.set $o
            (f64x2.sub
              (f64x2.mul (local.get $o) (local.get $wr))
              (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o) (local.get $o)) (local.get $wi))))
          ;; Zc_k = F + i·G, i·G = (−G.im, G.re);  Zc_{m−k} = conj F + i·conj G, i·conj G = (G.im, G.re)
          (local.set $o (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o) (local.get $o)))
          (v128.store (i32.add (local.get $za) (local.get $p))
            (f64x2.mul (local.get $sc)
              (f64x2.add (local.get $e) (v128.xor (local.get $o) (v128.const f64x2 -0 0)))))
          (v128.store (i32.add (local.get $za) (local.get $q))
            (f64x2.mul (local.get $sc)
              (f64x2.add (v128.xor (local.get $e) (v128.const f64x2 0 -0)) (local.get $o))))
          (local.set $tw (i32.add (local.get $tw) (i32.const 16)))
          (local.set $q (i32.sub (local.get $q) (i32.const 16)))
          (br_if $each_pair (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
        (local.set $B (i32.shl (local.get $B) (i32.const 1)))
        (br $each_block))))
)
