// What a team's helper threads and its calling thread share (threads.ts): the layout of the
// control block a job is posted in, and `runSlice`, which runs one thread's slice of a job. The
// helpers import it from their module (threadWorker.js); the calling thread runs it for a slice no
// helper has started, so a slice gives the same numbers whoever runs it.
//
// Plain JavaScript (types in threadSlice.d.ts) so that a worker loads it, and threadWorker.js,
// without a TypeScript loader, from the sources as from the compiled package: a worker does not
// inherit its parent's loader, and loading one in every helper costs more than the helper saves.

// Control block layout: Int32 slots, then Float64 slots from byte 2048 (up to 120 threads).
export const GEN = 0, KIND = 1, DONE = 2, INTS = 3; // INTS.. : the kernel's integer arguments (at most 12)
export const CLOSED = 15; // 1 once the team is closed: a helper that boots after that exits at once
export const SLICE = 16; // SLICE + 2t, SLICE + 2t + 1: first/last row of thread t
export const CLAIM = 256; // CLAIM + t: the last job (generation) whose slice t somebody took
export const FLOATS = 256; // Float64 index of the kernel's float arguments (byte 2048)
export const CONTROL_BYTES = 2048 + 8 * 8;
export const STOP = 0, ROWS = 1, TRI = 2, REFL = 3, SWEEP = 4, GEMM = 5;
// Bytes of packing scratch each thread's `gemm` kernel needs (one KC×NC block of B, 256×64 entries).
export const GEMM_PACK_BYTES = 256 * 64 * 8;
// Polls of the control block before a helper sleeps on it: the next job usually comes within
// microseconds, and waking a sleeping thread costs tens of them.
export const SPIN = 20_000;

// Run slice t of the job in the control block (I, F: its Int32 and Float64 views) with kernels `k`
// on memory M (partial: the byte offset of slice t's partial-sum vector).
export function runSlice(k, I, F, M, t, partial) {
  const kind = I[KIND], first = I[SLICE + 2 * t], last = I[SLICE + 2 * t + 1], A = INTS, X = FLOATS;
  if (kind === ROWS) k.rows(I[A], I[A + 1], first, last, I[A + 2], I[A + 3], I[A + 4], partial, F[X], F[X + 1], F[X + 2]);
  else if (kind === TRI) k.tri(I[A], I[A + 1], I[A + 2], first, last, I[A + 3], I[A + 4], I[A + 5], partial);
  else if (kind === GEMM) k.gemm(I[A], I[A + 1], I[A + 2], I[A + 3], I[A + 4], I[A + 5], first, last, I[A + 6], I[A + 7], F[X], I[A + 8] + t * GEMM_PACK_BYTES);
  else if (kind === REFL) k.refl(I[A] + first * I[A + 1], last - first, I[A + 1], I[A + 2], I[A + 3], F[X]);
  else if (kind === SWEEP) {
    // rotations j = 0..count−1 of rows (p, q) = (i, i + 1), i = row0 + j (up) or (i + 1, i), i = row0 − j (down)
    const x = I[A] + first * 8, stride = I[A + 1], row0 = I[A + 2], count = I[A + 3], cs = I[A + 4] / 8, sn = I[A + 5] / 8, down = I[A + 6];
    for (let j = 0; j < count; j++) {
      const i = down ? row0 - j : row0 + j;
      const p = x + (down ? i + 1 : i) * stride, q = x + (down ? i : i + 1) * stride;
      k.rot(p, q, last - first, M[cs + j], M[sn + j]);
    }
  }
}
