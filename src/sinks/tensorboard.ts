/**
 * The TensorBoard sink: writes a run's metrics as a TensorBoard event file
 * (`events.out.tfevents.<seconds>.<host>.<pid>.eigenflow`) so that `tensorboard --logdir runs/`
 * shows them and `wandb sync --sync-tensorboard` uploads them.
 *
 *  - stepped scalars → scalars, tag `node/metric`, the exact float64 value;
 *  - array metrics   → histograms of the values (tag `node/metric`) at their step (0 when one-off);
 *  - one-off scalars → text (`node/metric`), written with full precision;
 *  - at the end      → the run's manifest.json (if present) and its status as text (`run/manifest`).
 *
 * Records are buffered and written synchronously (at 64 KiB, every second, and on close), like
 * metrics.jsonl, so a crash loses at most the last second.
 *
 * ```ts
 * await runGraph(spec, { outDir, sinks: [tensorboardSink(outDir)] });
 * ```
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { MetricEvent } from '../run/context.ts';
import type { Sink, SinkClose } from './sink.ts';
import { fileVersionRecord, histogramRecord, scalarRecord, textRecord } from './tensorboardRecord.ts';

/** A sink writing a new event file in `dir` (created, with the file, at the first write or at close). */
export function tensorboardSink(dir: string): Sink & { readonly path: string } {
  const now = Date.now();
  const path = join(dir, `events.out.tfevents.${Math.floor(now / 1000)}.${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}.${process.pid}.eigenflow`);
  let fd: number | null = null;
  let buffer: Buffer[] = [fileVersionRecord(now / 1000)];
  let size = 0;
  let closed = false;
  const flush = (): void => {
    if (closed || buffer.length === 0) return;
    if (fd === null) { mkdirSync(dir, { recursive: true }); fd = openSync(path, 'w'); }
    writeSync(fd, Buffer.concat(buffer));
    buffer = []; size = 0;
  };
  const push = (b: Buffer): void => { buffer.push(b); size += b.length; if (size >= 65536) flush(); };
  const timer = setInterval(flush, 1000);
  timer.unref();
  return {
    name: 'tensorboard',
    mode: 'sync',
    path,
    write(e: MetricEvent) {
      const tag = `${e.node}/${e.name}`;
      const t = e.time / 1000;
      if (Array.isArray(e.value)) push(histogramRecord(tag, e.step ?? 0, e.value, t));
      else if (e.step === null) push(textRecord(tag, 0, String(e.value), t));
      else push(scalarRecord(tag, e.step, e.value, t));
    },
    close(info: SinkClose) {
      const t = Date.now() / 1000;
      const manifestPath = info.outDir ? join(info.outDir, 'manifest.json') : null;
      let manifest = '';
      try { if (manifestPath && existsSync(manifestPath)) manifest = readFileSync(manifestPath, 'utf8'); } catch { /* the status line below still says how the run ended */ }
      const text = `status: **${info.status}**${info.error ? ` — ${info.error}` : ''}${manifest ? `\n\n\`\`\`json\n${manifest}\n\`\`\`` : ''}`;
      push(textRecord('run/manifest', 0, text, t));
      clearInterval(timer);
      flush();
      closed = true;
      if (fd !== null) closeSync(fd);
    },
  };
}
