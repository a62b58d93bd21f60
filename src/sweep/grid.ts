/** Sweep points: the grid's cartesian product and how a point is named. */
import type { Grid, Overrides } from '../record/sweepState.ts';

/** The cartesian product, first grid name varying slowest. */
export function gridPoints(grid: Grid): Overrides[] {
  return grid.reduce<Overrides[]>((acc, [name, values]) => acc.flatMap((p) => values.map((v) => Object.defineProperty({ ...p }, name, { value: v, enumerable: true, writable: true, configurable: true }))), [{}]);
}

export const pointLabel = (p: Overrides): string => Object.entries(p).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
