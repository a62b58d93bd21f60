import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { integrate } from '../../../nodes/linear/flowInternals.ts';

describe('integrate (the linear family\'s ODE integrator)', () => {
  it('should integrate y\' = −y·cos t to its closed form exp(−sin t)', () => {
    const [y1, y2] = integrate((t, y) => Float64Array.of(-y[0] * Math.cos(t)), Float64Array.of(1), 0, [1, 7]);
    assert.ok(Math.abs(y1[0] - Math.exp(-Math.sin(1))) < 1e-9);
    assert.ok(Math.abs(y2[0] - Math.exp(-Math.sin(7))) < 1e-9);
  });
});
