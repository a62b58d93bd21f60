/**
 * Reading files that a user, another process or a hand edit may have replaced by something else:
 * only regular files are read (checked on the open descriptor, after opening, so a FIFO can
 * neither block the open nor the read, and a symlink to `/dev/zero` is refused), never more
 * bytes than the caller allows, and paths read from inside files are kept inside their root.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * A file eigenflow reads (state, summary, index, record) is unusable: `message` names the file and
 * the field. The CLI answers it with exit 2, as for any bad input.
 */
export class InvalidFile extends Error {
  constructor(readonly file: string, why: string) { super(`${file}: ${why}`); }
}

/** Why a file could not be read; `message` is one clause ("not a regular file (a FIFO)"), the caller names file and field. */
export class UnreadableFile extends Error {
  constructor(readonly file: string, readonly why: string) { super(why); }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Open `file` read-only and check, on the descriptor, that it is a regular file. The caller closes `fd`. */
export function openRegular(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UnreadableFile(file, code === 'ENOENT' ? 'no such file' : `cannot open it (${code ?? (e as Error).message})`);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) { closeSync(fd); throw new UnreadableFile(file, `not a regular file (${kindOf(st)})`); }
  return { fd, size: st.size };
}

/** Up to `length` bytes at `offset` of an open descriptor; fewer only where the file ends. */
export function readFdAt(fd: number, offset: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got < length ? buf.subarray(0, got) : buf;
}

/** The whole of a regular file of at most `maxBytes` bytes. */
export function readRegular(file: string, maxBytes: number): Uint8Array {
  const { fd, size } = openRegular(file);
  try {
    if (size > maxBytes) throw new UnreadableFile(file, `too large: ${size} bytes, more than the ${maxBytes} read from such a file`);
    return readFdAt(fd, 0, size);
  } finally {
    closeSync(fd);
  }
}

/** The whole of a regular UTF-8 text file of at most `maxBytes` bytes. */
export function readRegularText(file: string, maxBytes: number): string {
  return new TextDecoder().decode(readRegular(file, maxBytes));
}

/**
 * `rel` (a path read from a file) resolved against `root`, or null when it is not a non-empty
 * relative path or leads outside `root` — lexically (`..`, absolute) or through a symlink.
 */
export function containedPath(root: string, rel: unknown): string | null {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0') || isAbsolute(rel)) return null;
  const base = resolve(root), full = resolve(base, rel);
  const inside = (r: string): boolean => r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
  if (!inside(relative(base, full))) return null;
  // Symlinks: compare where the root and the nearest existing ancestor of the path really are.
  let realBase: string;
  try { realBase = realpathSync(base); } catch { return full; }
  for (let p = full; p !== base; p = dirname(p)) {
    let real: string;
    try { real = realpathSync(p); } catch { continue; }
    return inside(relative(realBase, real)) ? full : null;
  }
  return full;
}
