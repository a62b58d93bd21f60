/**
 * Claiming a run directory: check the path is usable, then take an exclusive lock file
 * (`eigenflow.lock`, created with O_EXCL before anything else is written) so two processes given
 * the same `--out` can never write into one directory. The lock holds the owner's pid; a lock
 * whose process no longer exists is reported as stale with the command to clear it.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readRegularText } from '../safeRead.ts';
import { RunSetupError } from '../graph/errors.ts';

export const LOCK_FILE = 'eigenflow.lock';

const SPECIAL = /^\/(dev|proc|sys)(\/|$)/;

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on the device', ENOTDIR: 'a parent of it is a file, not a directory', EEXIST: 'it exists and is not a directory', ENAMETOOLONG: 'the name is too long', ELOOP: 'too many symbolic links' };
  return code && words[code] ? `${words[code]} (${code})` : (e as Error).message.split('\n')[0]!;
}

/** Throws RunSetupError unless `dir` is (or can become) a directory eigenflow may write into. */
export function checkOutDir(dir: string): void {
  if (typeof dir !== 'string' || dir.trim() === '') throw new RunSetupError(`--out must name a directory, but got an empty string`);
  if (dir.includes('\0')) throw new RunSetupError(`--out must not contain a NUL character`);
  const abs = resolve(dir);
  if (SPECIAL.test(abs)) throw new RunSetupError(`--out ${dir}: ${abs} is a system path (/dev, /proc, /sys), not a place for run files`);
  // Walk up to the nearest existing ancestor: it must be a directory.
  let p = abs;
  for (;;) {
    let st;
    try { st = statSync(p); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') { const up = dirname(p); if (up === p) break; p = up; continue; }
      throw new RunSetupError(`--out ${dir}: cannot use it: ${reason(e)}`);
    }
    if (!st.isDirectory()) {
      throw new RunSetupError(p === abs
        ? `--out ${dir} is ${st.isFile() ? 'a file' : 'not a directory (a device, socket or pipe)'}; give a directory for the run's files`
        : `--out ${dir} is under ${p}, which is a file, not a directory`);
    }
    break;
  }
}

/** Recursive mkdir reports ENOENT for some failures (a read-only file system); find the real one. */
function realMkdirError(dir: string, e: unknown): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return e;
  let p = resolve(dir);
  while (!existsSync(dirname(p)) && dirname(p) !== p) p = dirname(p);
  try { mkdirSync(p); rmSync(p, { recursive: true, force: true }); return e; } catch (e2) { return e2; }
}

/** Is a process with this pid alive (or owned by someone else)? */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** The pid of the live process holding `dir`'s run lock, or null (no lock, an unreadable one, or its process is gone). */
export function lockHolder(dir: string): number | null {
  let pid = NaN;
  try { pid = Number.parseInt(readRegularText(join(dir, LOCK_FILE), 64), 10); } catch { return null; }
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/**
 * Create `dir`, take its lock and check it holds no earlier run. Returns the function that
 * releases the lock. Throws RunSetupError (nothing written but the directory) otherwise.
 */
export function claimOutDir(dir: string): () => void {
  checkOutDir(dir);
  try { mkdirSync(dir, { recursive: true }); } catch (e) { throw new RunSetupError(`--out ${dir}: cannot create it: ${reason(realMkdirError(dir, e))}`); }
  const lock = join(dir, LOCK_FILE);
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new RunSetupError(`--out ${dir}: cannot write there: ${reason(e)}`);
    let pid = NaN;
    try { pid = Number.parseInt(readFileSync(lock, 'utf8'), 10); } catch { /* unreadable: treated as stale */ }
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new RunSetupError(`--out ${dir} is in use by another eigenflow run (process ${pid}); choose another directory`);
    throw new RunSetupError(`--out ${dir} has a stale lock from ${Number.isInteger(pid) ? `process ${pid}, which is no longer running` : 'an unknown process'} (a run that was killed); if no run is using it, remove it with: rm ${JSON.stringify(lock)}`);
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } catch (e) {
    closeSync(fd);
    rmSync(lock, { force: true });
    throw new RunSetupError(`--out ${dir}: cannot write there: ${reason(e)}`);
  }
  closeSync(fd);
  // Also on an abrupt exit (an uncaught error, process.exit); only SIGKILL leaves the lock behind.
  const onExit = (): void => { try { rmSync(lock, { force: true }); } catch { /* gone already */ } };
  process.once('exit', onExit);
  const release = (): void => { process.off('exit', onExit); onExit(); };
  if (existsSync(join(dir, 'manifest.json'))) {
    release();
    throw new RunSetupError(`--out ${dir} already holds a run (manifest.json); choose another directory or remove it`);
  }
  return release;
}
