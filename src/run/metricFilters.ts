/**
 * RxJS operators that pick one metric off the bus with its value typed: a scalar's events as
 * `MetricEvent<number>`, an array's as `MetricEvent<number[]>`, so `e.value` needs no cast.
 *
 * ```ts
 * startRun(spec).metrics$.pipe(scalarMetric('train.loss'), map((e) => e.value), bufferCount(50))
 * ```
 */
import { filter, type OperatorFunction } from 'rxjs';
import type { MetricEvent } from '../record/events.ts';

const isEventOf = (ref: string) => {
  const dot = ref.indexOf('.');
  if (dot < 1) throw new Error(`a metric is named "node.metric", got ${JSON.stringify(ref)}`);
  const node = ref.slice(0, dot), name = ref.slice(dot + 1);
  return (e: MetricEvent): boolean => e.node === node && e.name === name;
};

/** The events of scalar metric `ref` ("node.metric"). */
export function scalarMetric(ref: string): OperatorFunction<MetricEvent, MetricEvent<number>> {
  const of = isEventOf(ref);
  return filter((e): e is MetricEvent<number> => of(e) && typeof e.value === 'number');
}

/** The events of array metric `ref` ("node.metric"): spectra, series, row-major matrices. */
export function arrayMetric(ref: string): OperatorFunction<MetricEvent, MetricEvent<number[]>> {
  const of = isEventOf(ref);
  return filter((e): e is MetricEvent<number[]> => of(e) && Array.isArray(e.value));
}
