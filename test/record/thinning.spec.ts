import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ThinnedSeries } from '../../src/record/thinning.ts';

describe('ThinnedSeries', () => {
  it('should keep at most max evenly spaced points spanning the series, and the latest point', () => {
    const s = new ThinnedSeries<number>(16, true);
    let halvings = 0;
    for (let step = 1; step <= 1000; step++) if (s.push(step, 1 / step, 10 * step)) halvings++;
    assert.ok(s.steps.length <= 16 && s.steps.length >= 8, `kept ${s.steps.length}`);
    assert.equal(halvings, Math.log2(1024 / 16), 'halved once per doubling past the cap');
    const stride = s.steps[1]! - s.steps[0]!;
    s.steps.forEach((step, i) => { assert.equal(step, 1 + i * stride); assert.equal(s.values[i], 1 / step); assert.equal(s.times[i], 10 * step); });
    assert.ok(s.steps.at(-1)! + stride > 1000, 'the kept points reach the end');
    assert.deepEqual(s.last, [1000, 1 / 1000]);
    const all = s.withLast();
    assert.deepEqual([all.steps.at(-1), all.values.at(-1), all.times.at(-1)], [1000, 1 / 1000, 10_000]);
  });

  it('should keep every point below the cap', () => {
    const s = new ThinnedSeries<number | null>(100);
    for (let step = 0; step < 50; step++) assert.equal(s.push(step, step % 7 ? step : null), false);
    assert.equal(s.steps.length, 50);
    assert.deepEqual(s.withLast().steps, s.steps);
  });
});
