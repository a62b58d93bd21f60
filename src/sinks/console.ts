/**
 * The console sink. On a terminal: a live progress bar per running generator (step, %, steps/s,
 * ETA, latest loss), redrawn at most 10×/s. Elsewhere (CI, pipes): a plain line every 10% of a
 * generator's steps. One-off scalar metrics are printed as `node.name = value` lines.
 */
import { formatDuration, formatNumber, formatRate } from '../format.ts';
import type { MetricEvent, Progress } from '../record/events.ts';
import type { Sink } from './sink.ts';

interface Bar { step: number; total: number | null; t0: number; s0: number; loss: number | null; lastPct: number }


/** Where the console sink writes: a stream, or anything with `write` (tests capture it). */
export interface ConsoleOut { write(text: string): unknown; isTTY?: boolean }

export function consoleSink(out: ConsoleOut = process.stderr, tty = Boolean(out.isTTY)): Sink {
  const bars = new Map<string, Bar>();
  let lastDraw = 0;
  let drawn = false;
  const clear = (): void => { if (tty && drawn) { out.write('\r\x1b[K'); drawn = false; } };
  const describe = (node: string, b: Bar): string => {
    const elapsed = (Date.now() - b.t0) / 1000;
    const rate = elapsed > 0 ? (b.step - b.s0) / elapsed : 0;
    const pct = b.total ? b.step / b.total : null;
    const eta = pct !== null && rate > 0 ? ` ETA ${formatDuration((1000 * (b.total! - b.step)) / rate)}` : '';
    const loss = b.loss !== null ? ` loss ${formatNumber(b.loss)}` : '';
    const bar = pct !== null && tty ? `${'█'.repeat(Math.round(pct * 20))}${'░'.repeat(20 - Math.round(pct * 20))} ` : '';
    const speed = rate > 0 ? ` ${formatRate(rate)} steps/s` : '';
    return `${node} ${bar}${b.step}${b.total ? `/${b.total} ${(100 * pct!).toFixed(0)}%` : ''}${speed}${eta}${loss}`;
  };
  const line = (text: string): void => { clear(); out.write(`${text}\n`); };
  return {
    name: 'console',
    mode: 'sync',
    role: 'view',
    write(e: MetricEvent) {
      if (typeof e.value !== 'number') return;
      if (e.step === null) line(`${e.member === undefined ? '' : `[member ${e.member}] `}${e.node}.${e.name} = ${formatNumber(e.value)}`);
      else if (e.name === 'loss' && bars.has(e.node)) bars.get(e.node)!.loss = e.value;
    },
    progress(p: Progress) {
      let b = bars.get(p.node);
      if (!b) bars.set(p.node, (b = { step: p.step, total: p.total, t0: Date.now(), s0: p.step, loss: null, lastPct: -1 }));
      b.step = p.step; b.total = p.total;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && p.step !== p.total) return;
        lastDraw = now;
        out.write(`\r\x1b[K${[...bars].map(([n, s]) => describe(n, s)).join(' | ')}`);
        drawn = true;
      } else {
        const pct = b.total ? Math.floor((10 * b.step) / b.total) : -1;
        if (pct > b.lastPct) { b.lastPct = pct; line(describe(p.node, b)); }
      }
    },
    log(node, message) { line(`[${node}] ${message}`); },
    close(info) {
      clear();
      const where = info.outDir ? ` → ${info.outDir}` : '';
      out.write(info.status === 'completed' ? `run completed${where}\n` : `run ${info.status}: ${info.error}${where}\n`);
    },
  };
}
