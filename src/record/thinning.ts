/**
 * A stepped series kept to at most `max` evenly spaced points however long it grows: when full,
 * every other kept point is dropped and from then on only every `stride`-th value is kept, so the
 * kept points span the whole series; the latest value is kept apart (`last`). One rule for the live
 * dashboard and for runs read back from files, so both stay bounded and show the same points.
 */
export class ThinnedSeries<V> {
  readonly steps: number[] = [];
  readonly values: V[] = [];
  /** Wall-clock times of the kept points (ms), when the series records them. */
  readonly times: number[] = [];
  /** The latest point, kept or not. */
  last: [number, V] | null = null;
  private lastTime = NaN;
  private stride = 1;
  private count = 0;

  constructor(private readonly max: number, private readonly withTimes = false) {}

  /** Add a point; returns true when the kept points were thinned (halved) by it. */
  push(step: number, value: V, time = NaN): boolean {
    this.last = [step, value];
    this.lastTime = time;
    if (this.count++ % this.stride !== 0) return false;
    this.steps.push(step); this.values.push(value);
    if (this.withTimes) this.times.push(time);
    if (this.steps.length <= this.max) return false;
    for (const column of [this.steps, this.values, ...(this.withTimes ? [this.times] : [])] as unknown[][]) {
      let j = 0;
      for (let i = 0; i < column.length; i += 2, j++) column[j] = column[i];
      column.length = j;
    }
    this.stride *= 2;
    return true;
  }

  /** The kept points with the latest one appended when thinning skipped it. */
  withLast(): { steps: number[]; values: V[]; times: number[] } {
    const out = { steps: [...this.steps], values: [...this.values], times: [...this.times] };
    if (this.last && out.steps.at(-1) !== this.last[0]) {
      out.steps.push(this.last[0]); out.values.push(this.last[1]);
      if (this.withTimes) out.times.push(this.lastTime);
    }
    return out;
  }
}
