/**
 * `eigenflow view` on two finished runs and on a sweep directory: the data served, and the page
 * loaded in a real headless browser (Debian's chromium driven by puppeteer-core) with every chart
 * of non-zero size and drawn series. Screenshots go to test-artifacts/. The browser part is
 * skipped, saying so, when /usr/bin/chromium is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dashboardSink } from '../../src/sinks/dashboard.ts';
import { viewData, viewServer } from '../../src/view/server.ts';
import { seedStats } from '../../src/record/stats.ts';
import { registerAllNodes } from '../../nodes/index.ts';
import { metricSpecOf } from '../../src/graph/declarations.ts';
import { loadGraph } from '../../src/graph/spec.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(root, 'test-artifacts');
let out = '';

function spawnSyncOk(args: string[]): void {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function cli(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(root, 'bin/eigenflow.js'), ...args, '--nodes', join(root, 'test/fixtures/nodes.ts'), '--quiet'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

before(() => {
  out = mkdtempSync(join(tmpdir(), 'eigenflow-view-'));
  const graph = join(root, 'test/fixtures/counter.json');
  cli('run', graph, '--out', join(out, 'a'), '--set', 'steps=50');
  cli('run', graph, '--out', join(out, 'b'), '--set', 'steps=50', '--set', 'noise=0.05');
  cli('sweep', graph, '--out', join(out, 'sweep'), '--set', 'steps=30', '--grid', 'noise=0.01,0.03,0.1');
  appendFileSync(join(out, 'b', 'metrics.jsonl'), '{"node":"train","name":"lo'); // a torn last line, as after kill -9
  // A seeded sweep as `eigenflow sweep --seeds` writes it (summary.json with per-point statistics)…
  cli('sweep', graph, '--out', join(out, 'seeded'), '--set', 'steps=20', '--grid', 'noise=0.01,0.03,0.1', '--seeds', '0,1');
  // …and the same runs described by an older summary (grid and per-run rows, seed inside the point, no statistics).
  const current = JSON.parse(readFileSync(join(out, 'seeded', 'summary.json'), 'utf8')) as { rows: { point: Record<string, unknown>; seed: number; status: string; dir: string; metrics: Record<string, number> }[] };
  mkdirSync(join(out, 'old-format'));
  // Its runs live inside it, recorded by absolute path as older versions did (a summary may not point elsewhere).
  for (const r of current.rows) cpSync(join(out, 'seeded', r.dir), join(out, 'old-format', r.dir), { recursive: true });
  const rows = current.rows.map((r) => ({ point: { ...r.point, seed: r.seed }, status: r.status, dir: join(out, 'old-format', r.dir), metrics: r.metrics }));
  writeFileSync(join(out, 'old-format', 'summary.json'), JSON.stringify({ grid: { noise: [0.01, 0.03, 0.1], seed: [0, 1] }, rows }));
  // The SSM kernel K = [D, CB, CAB, CA²B] = [0, 1, 0.7, 0.51]: a `series` metric, K₀ = 0.
  spawnSyncOk([join(root, 'bin/eigenflow.js'), 'run', join(root, 'graphs/ssm-kernel.json'), '--out', join(out, 'kernel'), '--quiet']);
  // The same run with its node type unknown to the viewer: its manifest still declares the kind…
  cpSync(join(out, 'kernel'), join(out, 'kernel-elsewhere'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(out, 'kernel-elsewhere', 'manifest.json'), 'utf8')) as { graph: { nodes: Record<string, { type: string }> }; metrics?: unknown; formatVersion?: number };
  manifest.graph.nodes.kernel!.type = 'elsewhere.kernel';
  writeFileSync(join(out, 'kernel-elsewhere', 'manifest.json'), JSON.stringify(manifest));
  // …unless it is an older manifest without declarations: then the kind can only be guessed.
  cpSync(join(out, 'kernel-elsewhere'), join(out, 'kernel-unknown'), { recursive: true });
  delete manifest.metrics;
  delete manifest.formatVersion;
  writeFileSync(join(out, 'kernel-unknown', 'manifest.json'), JSON.stringify(manifest));
});
after(() => rmSync(out, { recursive: true, force: true }));

test('two runs are overlaid with legends by name and differing parameters; a torn last line is skipped', () => {
  const d = viewData([join(out, 'a'), join(out, 'b')]);
  assert.equal(d.runs.length, 2);
  assert.deepEqual(d.runs.map((r) => r.label), ['a (noise=0.01)', 'b (noise=0.05)']);
  assert.equal(d.runs[1]!.skippedLines, 1);
  assert.ok(d.runs.every((r) => r.status === 'completed' && r.series['train.loss']!.steps.length === 50));
});

test('a sweep directory gives one entry per point with its runs; a seeded sweep gives the statistics of summary.json', () => {
  const d = viewData([join(out, 'sweep')]);
  assert.equal(d.sweeps.length, 1);
  assert.deepEqual(d.sweeps[0]!.paramNames, ['noise']);
  assert.equal(d.sweeps[0]!.points.length, 3);
  assert.equal(d.runs.length, 3);
  assert.ok(d.sweeps[0]!.points.every((p) => p.seeds.length === 1 && p.completed === 1 && p.metrics['train.loss']!.ci95 === null));
  assert.throws(() => viewData([join(out, 'nothing-here')]), /not a directory/);

  const seeded = viewData([join(out, 'seeded')]);
  const s = seeded.sweeps[0]!;
  assert.equal(seeded.runs.length, 6);
  assert.equal(s.points.length, 3);
  for (const p of s.points) {
    assert.deepEqual(p.seeds.map((r) => r.seed), [0, 1]);
    const m = p.metrics['train.loss']!;
    // The statistics are summary.json's, which are those of the two seeds' final losses.
    const finals = p.seeds.map((r) => { const run = seeded.runs.find((x) => x.dir === r.dir)!; return run.series['train.loss']!.values.at(-1)!; });
    assert.deepEqual(m.values, { 0: finals[0], 1: finals[1] });
    const truth = seedStats(finals);
    assert.equal(m.mean, truth.mean);
    assert.deepEqual(m.ci95, truth.ci95);
    assert.ok(m.ci95![0] < m.mean! && m.mean! < m.ci95![1], 'two different seeds give an interval of positive width');
  }
  // An older summary (no statistics) gives the same points and intervals, computed by the viewer.
  const old = viewData([join(out, 'old-format')]).sweeps[0]!;
  assert.deepEqual(old.paramNames, ['noise']);
  assert.deepEqual(old.points.map((p) => [p.point, p.metrics['train.loss']!.mean, p.metrics['train.loss']!.ci95, p.seeds.length]),
    s.points.map((p) => [p.point, p.metrics['train.loss']!.mean, p.metrics['train.loss']!.ci95, 2]));
});

test('array metrics take their declared kind from the run\'s graph: the SSM kernel is a series, not a spectrum', () => {
  registerAllNodes();
  const d = viewData([join(out, 'kernel'), join(out, 'kernel-elsewhere'), join(out, 'kernel-unknown')]);
  const known = d.runs.find((r) => r.name === 'kernel')!, unknown = d.runs.find((r) => r.name === 'kernel-unknown')!;
  const selfDescribed = d.runs.find((r) => r.name === 'kernel-elsewhere')!;
  assert.equal(selfDescribed.kinds['kernel.kernel'], 'series', 'the manifest declares the kind; no node library needed');
  assert.equal(known.arrays['kernel.kernel']!.length, 4);
  assert.equal(known.arrays['kernel.kernel']![0], 0);
  assert.equal(known.kinds['kernel.kernel'], 'series');
  assert.deepEqual(known.guessedKinds, []);
  // Guessing from the value alone would call it a rank-ordered spectrum (drawn log-log, K₀ = 0 lost).
  assert.equal(unknown.kinds['kernel.kernel'], 'array');
  assert.deepEqual(unknown.guessedKinds, ['kernel.kernel']);
});

test('the view server refuses a foreign Host', async () => {
  const v = await viewServer([join(out, 'a')]);
  try {
    const status = (host: string): Promise<number> => new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port: v.port, path: '/state', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject).end();
    });
    assert.equal(await status(`127.0.0.1:${v.port}`), 200);
    assert.equal(await status('attacker.example'), 403);
  } finally { await v.close(); }
});

test('headless chromium finds every chart drawn, for two runs and for a sweep', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) { t.skip(`${CHROMIUM} is missing (apt-get install -y chromium)`); return; }
  const { default: puppeteer } = await import('puppeteer-core');
  registerAllNodes(); // as `eigenflow view` does: declared kinds of the built-in node types
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    for (const [name, dirs] of [['view-two-runs', [join(out, 'a'), join(out, 'b')]], ['view-sweep', [join(out, 'sweep')]], ['view-sweep-seeds', [join(out, 'seeded')]], ['view-sweep-old-format', [join(out, 'old-format')]], ['view-kernel', [join(out, 'kernel')]]] as const) {
      const v = await viewServer(dirs);
      try {
        const page = await browser.newPage();
        await page.setViewport({ width: 1300, height: 1000 });
        await page.goto(v.url);
        await page.waitForSelector('body[data-ready]');
        assert.equal(await page.$eval('body', (b) => b.dataset.ready), '1', await page.$eval('body', (b) => b.innerText.slice(-500)));
        // Every chart canvas has a size and coloured (series) pixels, not only axes and grid.
        const canvases = await page.$$eval('.card canvas', (cs) => cs.map((c) => {
          const g = c.getContext('2d')!;
          const px = g.getImageData(0, 0, c.width, c.height).data;
          let coloured = 0;
          for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 0 && Math.max(px[i]!, px[i + 1]!, px[i + 2]!) - Math.min(px[i]!, px[i + 1]!, px[i + 2]!) > 60) coloured++;
          return { w: c.width, h: c.height, coloured };
        }));
        assert.ok(canvases.length >= (name === 'view-kernel' ? 1 : 2), `${name}: ${canvases.length} charts`);
        for (const c of canvases) { assert.ok(c.w > 0 && c.h > 0, `${name}: a chart of size ${c.w}×${c.h}`); assert.ok(c.coloured > 50, `${name}: a chart with no drawn series`); }
        const legend = await page.$$eval('.u-legend .u-label', (ls) => ls.map((l) => l.textContent));
        if (name === 'view-two-runs') assert.ok(legend.includes('a (noise=0.01)') && legend.includes('b (noise=0.05)'), legend.join(' | '));
        await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
        if (name === 'view-sweep-seeds' || name === 'view-sweep-old-format') {
          // The loss plot has a 95% band, and the band's colour (the series colour at alpha 0x33) covers pixels.
          const band = await page.$eval('.card[data-kind="sweep"][data-metric="train.loss"]', (box) => {
            const c = box.querySelector('canvas')!;
            const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i + 3]! - 0x33) <= 3 && Math.abs(px[i]! - 0x1f) <= 16 && Math.abs(px[i + 1]! - 0x77) <= 16 && Math.abs(px[i + 2]! - 0xb4) <= 16) n++;
            return { bands: Number((box as HTMLElement).dataset.bands), pixels: n };
          });
          assert.equal(band.bands, 1, `${name}: band series`);
          assert.ok(band.pixels > 200, `${name}: only ${band.pixels} pixels of the band colour`);
          const heads = await page.$$eval('table.sweep th', (hs) => hs.map((h) => h.textContent));
          assert.ok(heads.includes('train.loss (mean ± 95%)'), heads.join(' | '));
          assert.match(await page.$eval('table.sweep tr.link td:last-child', (td) => td.textContent ?? ''), /^-?[\d.e-]+ ± [\d.e-]+$/);
          await page.click('table.sweep tr.link');
          assert.match(await page.$eval('#showing', (s) => s.textContent ?? ''), /2 runs of noise=/);
          assert.equal(await page.$$eval('#series .card:not(.hidden)', (cs) => cs.length) > 0, true);
        }
        if (name === 'view-kernel') {
          // Declared `series`: against its index from 0 on linear axes, all four taps drawn (K₀ = 0 included).
          const k = await page.$eval('#arrays .card[data-metric="kernel.kernel"]', (b) => ({ ...(b as HTMLElement).dataset }));
          assert.deepEqual([k.kind, k.logx, k.logy, k.points], ['series', '0', '0', '4']);
        }
        if (name === 'view-sweep') {
          await page.click('table.sweep tr.link');
          assert.match(await page.$eval('#showing', (s) => s.textContent ?? ''), /one run/);
        }
        await page.close();
      } finally { await v.close(); }
    }
  } finally { await browser.close(); }
});

test('the live dashboard opened after the run ended draws its declared plots (not 0×0 blanks)', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) { t.skip(`${CHROMIUM} is missing (apt-get install -y chromium)`); return; }
  const { default: puppeteer } = await import('puppeteer-core');
  const dash = await dashboardSink({ graph: 'ended', plots: [{ title: 'Loss', y: ['train.loss', 'exact.loss'], logY: true }], linger: Infinity });
  for (let s = 1; s <= 100; s++) {
    dash.write({ node: 'train', name: 'loss', step: s, value: 1 / s, time: s });
    dash.write({ node: 'exact', name: 'loss', step: s, value: 1.1 / s, time: s });
  }
  dash.close!({ status: 'completed', error: null, outDir: null });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(dash.url);
    await page.waitForFunction(() => document.querySelectorAll('#declared canvas').length > 0);
    await new Promise((r) => setTimeout(r, 300)); // one animation frame to draw
    const drawn = await page.$$eval('#declared canvas', (cs) => cs.map((c) => {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 0 && Math.max(px[i]!, px[i + 1]!, px[i + 2]!) - Math.min(px[i]!, px[i + 1]!, px[i + 2]!) > 60) coloured++;
      return { w: c.width, h: c.height, coloured };
    }));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-after-end.png'), fullPage: true });
    for (const c of drawn) { assert.ok(c.w > 0 && c.h > 0, `declared plot ${c.w}×${c.h}`); assert.ok(c.coloured > 50, 'declared plot drawn blank'); }
  } finally {
    await browser.close();
    await dash.stop();
  }
});

test('the live dashboard survives hostile values (NaN, ±Infinity, 1e308, all ≤ 0 on a log axis, equal values, one point)', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) { t.skip(`${CHROMIUM} is missing (apt-get install -y chromium)`); return; }
  const { default: puppeteer } = await import('puppeteer-core');
  const hostile: Record<string, number[]> = {
    negative: [-1, -2, 0, -3], nan: [NaN, NaN], inf: [Infinity, -Infinity, 1], huge: [1e308, -1e308, 1.7976931348623157e308],
    equal: [5, 5, 5, 5], ulp: [1, 1 + Number.EPSILON, 1], single: [0.3], tiny: [5e-324, 1e-320],
  };
  const names = Object.keys(hostile);
  const dash = await dashboardSink({ graph: 'hostile', plots: names.map((n) => ({ title: n, y: [`h.${n}`], logY: true })), linger: Infinity });
  for (const n of names) hostile[n]!.forEach((v, i) => dash.write({ node: 'h', name: n, step: i + 1, value: v, time: i }));
  dash.write({ node: 'h', name: 'spectrum', step: null, value: [-1, 0, NaN], time: 0 });
  dash.close!({ status: 'completed', error: null, outDir: null });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(dash.url);
    await page.waitForFunction((n) => document.querySelectorAll('#declared .card').length === n, { timeout: 20_000 }, names.length);
    await new Promise((r) => setTimeout(r, 300));
    // The page is still responsive (no endless loop) and reports the undrawable plots in words.
    const texts = await page.$$eval('#declared .nodata', (ns) => ns.map((n) => n.textContent));
    assert.deepEqual(errors, []);
    assert.ok(texts.includes('no finite positive values for a log axis'), texts.join(' | '));
  } finally {
    await browser.close();
    await dash.stop();
  }
});

test('the live dashboard draws an array metric by its declared kind: the SSM kernel (a series) against its index, not log-log against rank', { timeout: 120_000 }, async (t) => {
  registerAllNodes();
  const spec = loadGraph(join(root, 'graphs/ssm-kernel.json'));
  const kernel = [0, 1, 0.7, 0.51]; // K = [D, CB, CAB, CA²B] of the graph's default 2×2 system
  const known = await dashboardSink({ graph: spec.name, kindOf: (node, name) => metricSpecOf(spec, node, name)?.kind, linger: Infinity });
  const guessed = await dashboardSink({ graph: spec.name, linger: Infinity });
  for (const d of [known, guessed]) { d.write({ node: 'kernel', name: 'kernel', step: null, value: kernel, time: 0 }); d.close!({ status: 'completed', error: null, outDir: null }); }
  try {
    const kindIn = async (url: string): Promise<string> => ((await (await fetch(`${url}state`)).json()) as { spectra: Record<string, { kind: string }> }).spectra['kernel.kernel']!.kind;
    assert.equal(await kindIn(known.url), 'series');
    assert.equal(await kindIn(guessed.url), 'array');
    if (!existsSync(CHROMIUM)) { t.skip(`${CHROMIUM} is missing (apt-get install -y chromium)`); return; }
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const drawn = async (url: string): Promise<Record<string, string | undefined>> => {
        const page = await browser.newPage();
        await page.goto(url);
        await page.waitForSelector('#arrays .card[data-points]');
        const d = await page.$eval('#arrays .card', (c) => ({ ...(c as HTMLElement).dataset }));
        await page.close();
        return d;
      };
      // Declared: linear axes, all four taps (K₀ = 0 included).
      const k = await drawn(known.url);
      assert.deepEqual([k.kind, k.logx, k.logy, k.points], ['series', '0', '0', '4']);
      // Guessed from the value: a spectrum, log-log against rank, and K₀ = 0 cannot be drawn.
      const g = await drawn(guessed.url);
      assert.deepEqual([g.kind, g.logx, g.logy, g.points], ['array', '1', '1', '3']);
    } finally { await browser.close(); }
  } finally { await known.stop(); await guessed.stop(); }
});

test('`eigenflow view DIR` prints its 127.0.0.1 URL, serves the run, and stops on SIGTERM; no DIR is a usage error', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [join(root, 'bin/eigenflow.js'), 'view', join(out, 'a')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d: Buffer) => { text += d; const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(text); if (m) resolve(m[0]); });
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing a URL`)));
  });
  const data = await (await fetch(`${url}state`)).json() as { runs: { name: string }[] };
  assert.deepEqual(data.runs.map((r) => r.name), ['a']);
  const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  assert.equal(code, 0);
  const bad = spawnSync(process.execPath, [join(root, 'bin/eigenflow.js'), 'view'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /needs at least one run or sweep directory/);
  const missing = spawnSync(process.execPath, [join(root, 'bin/eigenflow.js'), 'view', join(out, 'nope')], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such directory/);
});
