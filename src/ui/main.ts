/**
 * eigenflow's browser app, one script for every page the server hands out: a live run
 * (`run --dashboard`), a live sweep (`sweep --dashboard`) and finished runs and sweeps
 * (`eigenflow view`). It opens `events` and draws whatever source the first snapshot names;
 * `body[data-ready]` is set once the first snapshot is drawn.
 */
import uplotCss from 'uplot/dist/uPlot.min.css';
import type { AppState, RunDelta } from '../serve/protocol.ts';
import { el } from './dom.ts';
import { showFiles } from './files.ts';
import { liveRun, type LiveRun } from './liveRun.ts';
import { liveSweep } from './liveSweep.ts';
import { buildPage } from './page.ts';
import { STYLE } from './style.ts';

function start(): void {
  document.head.append(el('style', {}, uplotCss + STYLE));
  buildPage();
  let run: LiveRun | null = null;
  const sweep = liveSweep();
  let finished = false;
  let shown = false;
  const events = new EventSource('events');
  events.addEventListener('state', (m) => {
    const s = JSON.parse((m as MessageEvent<string>).data) as AppState;
    if (s.source === 'files') {
      if (!shown) showFiles(s);
      finished = true;
    } else if (s.source === 'sweep') {
      sweep.show(s, s.now - Date.now());
      finished = s.status !== 'running';
    } else {
      run ??= liveRun();
      run.state(s);
      finished = s.status !== 'running';
    }
    if (finished) events.close();
    shown = true;
    document.body.dataset.ready = '1';
  });
  events.addEventListener('delta', (m) => run?.delta(JSON.parse((m as MessageEvent<string>).data) as RunDelta));
  events.onerror = () => { if (!finished) run?.disconnected(); };
}

try {
  start();
} catch (e) {
  document.body.append(el('pre', {}, String((e as Error)?.stack ?? e)));
  document.body.dataset.ready = 'error';
}
