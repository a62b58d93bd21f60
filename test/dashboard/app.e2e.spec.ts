/**
 * The browser app (src/ui) in headless chromium (Debian's, driven by puppeteer-core), on run and
 * sweep directories written here by hand, so each case holds exactly the values it is about:
 * axis labels that stay distinct, legends of runs of different graphs, a non-square heatmap, and
 * a live run and a live sweep turning into finished ones. Skipped, saying so, without chromium.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { dashboardSink } from '../../src/sinks/dashboard.ts';
import { runLabels, viewServer } from '../../src/view/server.ts';
import type { RunData } from '../../src/view/runData.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

/** A run directory as eigenflow writes one: manifest.json (format 2) and metrics.jsonl. */
function writeRun(dir: string, graph: { name: string; params: Record<string, unknown> }, events: object[], metrics: Record<string, object> = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ formatVersion: 2, graph: { ...graph, nodes: {} }, seed: 0, status: 'completed', error: null, metrics }));
  writeFileSync(join(dir, 'metrics.jsonl'), events.map((e) => `${JSON.stringify({ time: 0, ...e })}\n`).join(''));
  return dir;
}

const stepped = (node: string, name: string, values: number[]): object[] => values.map((value, i) => ({ node, name, step: i + 1, value }));

interface Card { kind?: string; metric?: string; xticks?: string; yticks?: string; rows?: string; cols?: string; points?: string }
const cards = (page: Page): Promise<Card[]> => page.$$eval('.card', (cs) => cs.map((c) => ({ ...(c as HTMLElement).dataset })));
/** The labelled ticks of an axis, [value, label] each; checks that every label reads as its tick's value. */
function ticks(json: string | undefined): string[] {
  const t = JSON.parse(json ?? '[]') as [number, string][];
  for (const [at, label] of t) assert.ok(Math.abs(Number(label) - at) <= 1e-9 * Math.max(Math.abs(at), 1e-300), `label ${label} at a tick of value ${at}`);
  return t.map(([, label]) => label);
}

describe('the browser app', { skip }, () => {
  let out = '';
  let browser: Browser;
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'eigenflow-app-'));
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  after(async () => { await browser?.close(); rmSync(out, { recursive: true, force: true }); });

  /** Open `eigenflow view` of `dirs` and wait for the first snapshot to be drawn. */
  async function view(dirs: string[]): Promise<{ page: Page; close(): Promise<void> }> {
    const v = await viewServer(dirs);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewport({ width: 1300, height: 1000 });
    await page.goto(v.url);
    await page.waitForSelector('body[data-ready]');
    assert.equal(await page.$eval('body', (b) => b.dataset.ready), '1');
    assert.deepEqual(errors, []);
    return { page, close: async () => { await page.close(); await v.close(); } };
  }

  it('should label an axis of multiples of 0.0025 with distinct labels', async () => {
    const run = writeRun(join(out, 'fine'), { name: 'g', params: {} }, stepped('t', 'gap', [0, 0.0025, 0.005, 0.0075, 0.01, 0.0125]));
    const v = await view([run]);
    try {
      // Rounded to three decimals, ticks at 0.0025·k would read 0.003, 0.005, 0.008, 0.013.
      const y = ticks((await cards(v.page)).find((c) => c.metric === 't.gap')!.yticks);
      assert.ok(y.length >= 3, y.join(' '));
      assert.equal(new Set(y).size, y.length, `repeated labels: ${y.join(' ')}`);
    } finally { await v.close(); }
  });

  it('should label a dozen decades on a log axis with distinct powers of ten', async () => {
    const spectrum = Array.from({ length: 13 }, (_, i) => 10 ** -i);
    const run = writeRun(join(out, 'decades'), { name: 'g', params: {} }, [{ node: 's', name: 'sv', step: null, value: spectrum }], { 's.sv': { kind: 'array', when: 'once' } });
    const v = await view([run]);
    try {
      const card = (await cards(v.page)).find((c) => c.metric === 's.sv')!;
      const y = ticks(card.yticks);
      assert.ok(y.length >= 6, y.join(' '));
      assert.equal(new Set(y).size, y.length, `repeated labels: ${y.join(' ')}`);
    } finally { await v.close(); }
  });

  it('should label a sweep\'s parameter axis with distinct values', async () => {
    // A sweep summary as an older eigenflow wrote it: per-run rows, two seeds per learning rate.
    const dir = join(out, 'lr-sweep');
    mkdirSync(dir, { recursive: true });
    const lrs = [0.004, 0.0041, 0.0042, 0.0043, 0.0044, 0.0045];
    const rows = lrs.flatMap((lr, i) => [0, 1].map((seed) => ({ point: { lr, seed }, status: 'completed', dir: `r${i}-${seed}`, metrics: { 't.loss': 1 + lr * 10 + seed * 0.01 } })));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ grid: { lr: lrs, seed: [0, 1] }, rows }));
    const v = await view([dir]);
    try {
      const card = (await cards(v.page)).find((c) => c.kind === 'sweep' && c.metric === 't.loss')!;
      const x = ticks(card.xticks);
      assert.ok(x.length >= 3, x.join(' '));
      assert.equal(new Set(x).size, x.length, `repeated labels: ${x.join(' ')}`);
    } finally { await v.close(); }
  });

  it('should build legends of runs of two graphs from names, graphs and the parameters each defines', async () => {
    const a = writeRun(join(out, 'two', 'a'), { name: 'counter', params: { steps: 50, noise: 0.01 } }, stepped('train', 'loss', [1, 0.5, 0.25]));
    const b = writeRun(join(out, 'two', 'b'), { name: 'ssm', params: { n: 8, noise: 0.05 } }, stepped('train', 'loss', [2, 1, 0.5]));
    const v = await view([a, b]);
    try {
      const legend = await v.page.$$eval('.u-legend .u-label', (ls) => ls.map((l) => l.textContent ?? ''));
      assert.ok(legend.includes('a (counter, noise=0.01)') && legend.includes('b (ssm, noise=0.05)'), legend.join(' | '));
      for (const l of legend) assert.doesNotMatch(l, /undefined/);
    } finally { await v.close(); }
    // Within one graph, only what differs: the run's name and its noise.
    const run = (name: string, params: Record<string, unknown>): RunData => ({ name, graph: 'g', params, seed: 0 } as RunData);
    assert.deepEqual(runLabels([run('x', { steps: 5, noise: 1 }), run('y', { steps: 5, noise: 2 })]), ['x (noise=1)', 'y (noise=2)']);
  });

  it('should draw a non-square matrix as a heatmap of its declared columns, from files and live', async () => {
    const matrix = Array.from({ length: 15 }, (_, i) => i - 7); // 3 rows × 5 columns
    const run = writeRun(join(out, 'matrix'), { name: 'g', params: {} }, [{ node: 'm', name: 'w', step: null, value: matrix }], { 'm.w': { kind: 'matrix', when: 'once', cols: 5 } });
    const v = await view([run]);
    try {
      const card = (await cards(v.page)).find((c) => c.metric === 'm.w')!;
      assert.deepEqual([card.kind, card.rows, card.cols], ['matrix', '3', '5']);
      assert.deepEqual(await v.page.$eval('.card[data-metric="m.w"] canvas', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]), [5, 3]);
    } finally { await v.close(); }
    const dash = await dashboardSink({ graph: 'g', plots: [{ heatmap: 'm.w', cols: 5 }], kindOf: () => 'matrix', linger: Infinity });
    try {
      dash.write({ node: 'm', name: 'w', step: null, value: matrix, time: 0 });
      dash.close!({ status: 'completed', error: null, outDir: null });
      const page = await browser.newPage();
      await page.goto(dash.url);
      await page.waitForSelector('.card[data-metric="m.w"][data-kind="matrix"]');
      assert.deepEqual(await page.$eval('.card[data-metric="m.w"] canvas', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]), [5, 3]);
      await page.close();
    } finally { await dash.stop(); }
  });

  it('should turn a live run into a finished one, with the same app script as `eigenflow view`', async () => {
    const dash = await dashboardSink({ graph: 'live', linger: Infinity, flushMs: 20 });
    try {
      const page = await browser.newPage();
      await page.goto(dash.url);
      await page.waitForSelector('body[data-status="running"]');
      for (let s = 1; s <= 30; s++) dash.write({ node: 'train', name: 'loss', step: s, value: 1 / s, time: s });
      await page.waitForFunction(() => document.querySelector<HTMLElement>('.card[data-metric="train.loss"]')?.dataset.points === '30');
      assert.equal(await page.$eval('#status', (e) => e.textContent), 'running');
      dash.write({ node: 'train', name: 'loss', step: 31, value: 1 / 31, time: 31 });
      dash.close!({ status: 'completed', error: null, outDir: null });
      await page.waitForSelector('body[data-status="completed"]');
      assert.equal(await page.$eval('#status', (e) => e.textContent), 'completed');
      assert.equal(await page.$eval('.card[data-metric="train.loss"]', (c) => (c as HTMLElement).dataset.points), '31', 'the final snapshot is drawn');
      const live = await (await fetch(`${dash.url}app.js`)).text();
      const v = await viewServer([writeRun(join(out, 'same-app'), { name: 'g', params: {} }, stepped('t', 'x', [1, 2]))]);
      try { assert.equal(await (await fetch(`${v.url}app.js`)).text(), live); } finally { await v.close(); }
      await page.close();
    } finally { await dash.stop(); }
  });

  it('should draw a live members summary as a mean line with its band, as a sweep\'s', async () => {
    const dash = await dashboardSink({ graph: 'members', linger: Infinity });
    try {
      const steps = Array.from({ length: 20 }, (_, i) => i + 1);
      dash.members({ members: 4, metrics: { 'train.loss': { steps, mean: steps.map((s) => 1 / s), lo: steps.map((s) => 0.8 / s), hi: steps.map((s) => 1.2 / s) } } });
      dash.close!({ status: 'completed', error: null, outDir: null });
      const page = await browser.newPage();
      await page.goto(dash.url);
      await page.waitForSelector('#members .card[data-metric="train.loss"]');
      const card = (await cards(page)).find((c) => c.kind === 'members')!;
      assert.deepEqual([card.metric, (card as { bands?: string }).bands, card.points], ['train.loss', '1', String(3 * 20)]);
      await page.close();
    } finally { await dash.stop(); }
  });

  it('should serve `eigenflow sweep --dashboard` live: points fill in the table, then the sweep is finished', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [join(root, 'bin/eigenflow.js'), 'sweep', join(root, 'test/fixtures/counter.json'), '--nodes', join(root, 'test/fixtures/nodes.ts'),
      '--grid', 'noise=0.01,0.02,0.03', '--set', 'steps=40', '--set', 'slowMs=10', '--out', join(out, 'live-sweep'), '--dashboard', '0', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (c: string) => { err += c; const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err); if (m) resolve(m[1]!); });
      child.on('exit', () => reject(new Error(`exited before printing the URL: ${err}`)));
    });
    const page = await browser.newPage();
    await page.setViewport({ width: 1300, height: 1000 });
    await page.goto(url);
    await page.waitForSelector('body[data-status="running"]');
    // Points fill in while the sweep runs (one process per point, one at a time)…
    await page.waitForFunction(() => /^[12] of 3 points completed/.test(document.querySelector('#events')?.textContent ?? ''), { timeout: 90_000 });
    assert.ok((await page.$$eval('table.sweep tr', (trs) => trs.map((tr) => tr.textContent ?? ''))).some((r) => r.includes('0/1 completed')), 'a point not ended yet');
    // …and once the last point ends the page shows the finished sweep with its plots against noise.
    await page.waitForSelector('body[data-status="completed"]', { timeout: 90_000 });
    const rows = await page.$$eval('table.sweep tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    assert.equal(rows.length, 4, rows.join(' | '));
    assert.ok(rows.slice(1).every((r) => r.includes('completed')), rows.join(' | '));
    assert.ok((await cards(page)).some((c) => c.kind === 'sweep' && c.metric === 'train.loss'));
    assert.match(await page.$eval('#events', (e) => e.textContent ?? ''), /3 of 3 points completed/);
    await page.close();
    assert.equal(await exited, 0, err);
  });
});
