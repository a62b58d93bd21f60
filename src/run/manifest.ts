/**
 * `manifest.json`: what ran and how it ended. Written when the run starts (status `running`)
 * and rewritten when it ends, atomically (temp file + rename), so a killed run still leaves one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../paths.ts';
import type { GraphSpec } from '../graph/spec.ts';
import type { BackendInfo } from '../backend/select.ts';
import type { SinkReport } from '../sinks/sink.ts';

export interface Manifest {
  graph: GraphSpec;
  seed: number;
  backend: BackendInfo;
  spectralMethod: string;
  versions: Record<string, string>;
  git: { commit: string; dirty: boolean } | null;
  start: string;
  end: string | null;
  status: 'running' | 'completed' | 'failed' | 'cancelled' | 'diverged';
  error: { message: string; node: string | null } | null;
  events: number;
  sinks?: SinkReport;
  leakedTensors?: number;
}

const require = createRequire(import.meta.url);

export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const pkg of ['eigenflow', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'rxjs', 'immer']) {
    try {
      const path = pkg === 'eigenflow' ? join(packageRoot, 'package.json') : require.resolve(`${pkg}/package.json`);
      out[pkg] = JSON.parse(readFileSync(path, 'utf8')).version;
    } catch { /* not resolvable from here: leave it out */ }
  }
  return out;
}

export function gitState(): Manifest['git'] {
  try {
    // Only eigenflow's own checkout: an installed copy inside someone else's repository has no commit of its own.
    const cwd = packageRoot;
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (realpathSync(top) !== realpathSync(cwd)) return null;
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

export function writeManifest(dir: string, m: Manifest): void {
  const path = join(dir, 'manifest.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(m, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
