import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { heatmap, linePlot, thin } from '../../src/plot/svg.ts';
import { gridPoints } from '../../src/sweep/grid.ts';
import { parseGrid } from '../../src/cli/sweepOptions.ts';

describe('linePlot', () => {
  it('should place points on log axes by their logarithm', () => {
    const svg = linePlot({ title: 't', series: [{ label: 's', points: [[1, 1], [10, 10], [100, 100]] }], logX: true, logY: true, width: 400, height: 300 });
    const d = /<path d="M([\d.]+),([\d.]+)L([\d.]+),([\d.]+)L([\d.]+),([\d.]+)"/.exec(svg)!;
    const [x1, y1, x2, y2, x3, y3] = d.slice(1).map(Number) as number[];
    assert.ok(Math.abs((x2! - x1!) - (x3! - x2!)) < 0.2, 'equal spacing per decade on x');
    assert.ok(Math.abs((y1! - y2!) - (y2! - y3!)) < 0.2, 'equal spacing per decade on y');
  });

  it('should break the line at points a log axis cannot show, not drop them silently', () => {
    const svg = linePlot({ title: 't', series: [{ label: 's', points: [[1, 1], [2, 0], [3, 2], [4, NaN], [5, 3]] }], logY: true });
    const path = /<path d="([^"]+)"/.exec(svg)![1]!;
    assert.equal((path.match(/M/g) ?? []).length, 3);
  });

  it('should escape labels and draw reference lines dashed', () => {
    const svg = linePlot({ title: 'a<b', series: [{ label: 'x&y', points: [], hline: 0.5 }] });
    assert.match(svg, /a&lt;b/);
    assert.match(svg, /x&amp;y/);
    assert.match(svg, /stroke-dasharray/);
  });

  it('should plot a million-point series without blowing the stack', () => {
    const points = Array.from({ length: 1_000_000 }, (_, i) => [i + 1, 1 / (i + 1)] as [number, number]);
    assert.match(linePlot({ title: 'big', series: [{ label: 's', points: thin(points) }], logX: true, logY: true }), /<path/);
    assert.match(linePlot({ title: 'big', series: [{ label: 's', points }] }), /<path/);
  });

  it('should thin long series keeping the last point', () => {
    const pts = Array.from({ length: 10_001 }, (_, i) => i);
    const t = thin(pts, 100);
    assert.equal(t.length, 100);
    assert.equal(t.at(-1), 10_000);
  });
});

describe('heatmap', () => {
  it('should colour a square matrix by sign and size, white at zero', () => {
    const svg = heatmap({ title: 'QQᵀ', values: [2, 0, -1, 1] });
    const fills = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="\d+" height="\d+" fill="(rgb\([^)]+\))"/g)].map((m) => m[1]).slice(0, 4);
    assert.deepEqual(fills, ['rgb(255,0,0)', 'rgb(255,255,255)', 'rgb(128,128,255)', 'rgb(255,128,128)']);
  });
});

describe('sweep grids', () => {
  it('should expand lists and inclusive ranges into a cartesian product', () => {
    const grid = parseGrid(['sigma=0:0.03:0.01', 'wn=asymmetric,symmetric']);
    assert.deepEqual(grid[0], ['sigma', [0, 0.01, 0.02, 0.03]]);
    const points = gridPoints(grid);
    assert.equal(points.length, 8);
    assert.deepEqual(points[1], { sigma: 0, wn: 'symmetric' });
  });

  it('should reject malformed grids with the fix in the message', () => {
    assert.deepEqual(parseGrid([]), [], 'no --grid is allowed here (a sampled sweep); the CLI asks for --grid or --sample');
    assert.throws(() => parseGrid(['sigma']), /expected NAME=V1,V2/);
    assert.throws(() => parseGrid(['sigma=1:0:0.1']), /STOP ≥ START/);
  });
});
