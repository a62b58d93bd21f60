import { defineNode } from '../../src/node.ts';
import { gaussianMatrix, schemeStd } from './initInternals.ts';
import { lambdaStar, weights } from './linearInternals.ts';

/**
 * Gaussian initialisations of a two-layer net: LeCun N(0, 1/fan_in), Glorot N(0, 2/(fan_in +
 * fan_out)), He N(0, 2/fan_in), scaled N(0, α²/fan_in) with α per layer, or a plain N(0, σ²).
 * Emits the balance probe at initialisation: λ* = Tr(B)/nh, ‖B − λ*I‖_F and the expectation
 * E[B] = (no·σ₂² − ni·σ₁²)I (thesis Theorem 3.1.1, with σ₁, σ₂ the per-entry stds of W1, W2).
 *
 * ## Example
 * `"init": {"type": "linear.gaussianInit", "params": {"ni": 8, "nh": 16, "no": 15, "scheme": "glorot"}}`
 */
export const gaussianInit = defineNode({
  type: 'linear.gaussianInit',
  doc: 'LeCun / Glorot / He / scaled / plain Gaussian two-layer weights, with the balance at init.',
  params: {
    ni: { type: 'int', doc: 'input dimension', min: 1 },
    nh: { type: 'int', doc: 'hidden dimension', min: 1 },
    no: { type: 'int', doc: 'output dimension', min: 1 },
    scheme: { type: 'string', doc: 'initialisation scheme', oneOf: ['lecun', 'glorot', 'he', 'scaled', 'gaussian'], default: 'lecun' },
    sigma: { type: 'number', doc: 'entry std for scheme "gaussian"', default: 0.1, min: 0 },
    alpha1: { type: 'number', doc: 'α of W1 for scheme "scaled"', default: 1, min: 0 },
    alpha2: { type: 'number', doc: 'α of W2 for scheme "scaled"', default: 1, min: 0 },
    seed: { type: 'int', doc: 'extra seed mixed into the node stream', default: 0 },
  },
  inputs: {},
  outputs: { weights: { type: 'linearWeights', doc: 'the initial weights (step 0)' } },
  metrics: {
    lambda_star: { kind: 'scalar', doc: 'λ* = Tr(B)/nh, the λ of the closest λI to B = W2ᵀW2 − W1W1ᵀ' },
    balance_distance: { kind: 'scalar', doc: '‖B − λ*I‖_F' },
    expected_lambda: { kind: 'scalar', doc: 'E[λ*] = no·σ₂² − ni·σ₁² (thesis Theorem 3.1.1)' },
  },
  run({ params, ctx }) {
    const { ni, nh, no } = params;
    const rng = ctx.rng.fork(`seed:${params.seed}`);
    const scheme = params.scheme;
    const sd1 = schemeStd(scheme, ni, nh, { alpha: params.alpha1, sigma: params.sigma });
    const sd2 = schemeStd(scheme, nh, no, { alpha: params.alpha2, sigma: params.sigma });
    const W1 = gaussianMatrix(nh, ni, sd1, rng), W2 = gaussianMatrix(no, nh, sd2, rng);
    const ls = lambdaStar({ W1, W2 });
    ctx.metric('lambda_star', ls.lambda);
    ctx.metric('balance_distance', ls.distance);
    ctx.metric('expected_lambda', no * sd2 * sd2 - ni * sd1 * sd1);
    return { weights: weights('deep', W1, W2) };
  },
});
