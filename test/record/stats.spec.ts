import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { incompleteBeta, logGamma, seedStats, studentTCdf, studentTQuantile } from '../../src/record/stats.ts';

const close = (a: number, b: number, rel: number, what: string): void => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

describe('Student t quantiles', () => {
  it('should match scipy.stats.t.ppf to 1e-10 for several dof and probabilities', () => {
    // scipy 1.11: t.ppf(p, dof)
    const known: [number, number, number][] = [
      [0.975, 1, 12.706204736174698], [0.975, 2, 4.302652729749464], [0.975, 3, 3.182446305284263],
      [0.975, 4, 2.7764451051977987], [0.975, 9, 2.2621571628540993], [0.975, 29, 2.045229642132703],
      [0.975, 1000, 1.9623390808264078], [0.995, 4, 4.604094871415897], [0.9, 7, 1.4149239276505079], [0.6, 2, 0.2886751345948129],
    ];
    for (const [p, dof, q] of known) close(studentTQuantile(p, dof), q, 1e-10, `t(${p}, ${dof})`);
  });

  it('should be symmetric and invert the CDF', () => {
    close(studentTQuantile(0.025, 5), -studentTQuantile(0.975, 5), 1e-14, 'symmetry');
    for (const dof of [1, 3, 17]) for (const p of [0.01, 0.3, 0.8, 0.999]) close(studentTCdf(studentTQuantile(p, dof), dof), p, 1e-12, `cdf(q(${p}, ${dof}))`);
    // dof = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
    close(studentTCdf(2.5, 1), 0.5 + Math.atan(2.5) / Math.PI, 1e-13, 'Cauchy');
  });

  it('should refuse arguments outside the domain', () => {
    assert.throws(() => studentTQuantile(1, 3), RangeError);
    assert.throws(() => studentTQuantile(0.5, 0), RangeError);
  });

  it('should compute ln Γ and I_x(a, b) against closed forms', () => {
    close(logGamma(5), Math.log(24), 1e-14, 'lnΓ(5)');
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14, 'lnΓ(1/2)');
    close(incompleteBeta(0.3, 1, 1), 0.3, 1e-13, 'I(1,1) is uniform');
    // For integers, I_x(a, b) = P(Binomial(a+b−1, x) ≥ a): here P(Bin(4, 0.3) ≥ 2) = 1 − 0.7⁴ − 4·0.3·0.7³.
    close(incompleteBeta(0.3, 2, 3), 1 - 0.7 ** 4 - 4 * 0.3 * 0.7 ** 3, 1e-12, 'I(2,3) binomial identity');
  });
});

describe('seedStats', () => {
  it('should give mean, sample sd, standard error and the t interval', () => {
    const s = seedStats([1, 2, 3]);
    assert.equal(s.n, 3);
    assert.equal(s.mean, 2);
    assert.equal(s.sd, 1);
    close(s.se!, 1 / Math.sqrt(3), 1e-15, 'se');
    close(s.ci95![1] - 2, 4.302652729749464 / Math.sqrt(3), 1e-12, 'half width');
  });

  it('should leave the spread undefined for one value and skip non-finite values', () => {
    assert.deepEqual(seedStats([5]), { n: 1, mean: 5, sd: null, se: null, ci95: null });
    assert.deepEqual(seedStats([NaN, Infinity]), { n: 0, mean: null, sd: null, se: null, ci95: null });
    assert.equal(seedStats([1, NaN, 3]).mean, 2);
  });
});
