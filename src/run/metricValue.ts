import * as tf from '@tensorflow/tfjs';
import type { MetricValue } from '../node.ts';

/** A metric value as it goes on the bus: a number, or a plain array of numbers (spectra). */
export function toMetricValue(v: MetricValue): number | number[] {
  if (typeof v === 'number') return v;
  if (v instanceof tf.Tensor) {
    const data = v.dataSync();
    return v.rank === 0 ? data[0]! : Array.from(data);
  }
  return Array.from(v);
}
