/** `eigenflow view DIR… [--port N]`: serve finished runs and sweeps until Ctrl-C. */
import { existsSync } from 'node:fs';
import { registerAllNodes } from '../../nodes/index.ts';
import { viewServer } from '../view/server.ts';
import { UsageError, type Parsed } from './args.ts';
import { untilInterrupted, type CliIo } from './io.ts';

export async function viewCommand(p: Parsed, io: CliIo): Promise<number> {
  if (p.positional.length === 0) throw new UsageError('eigenflow view needs at least one run or sweep directory (e.g. runs/cis-noise-20260101-120000)');
  for (const d of p.positional) if (!existsSync(d)) throw new UsageError(`eigenflow view: ${d}: no such directory`);
  const portText = p.options.get('port')?.at(-1);
  // Decimal digits only: Number() would also take '', ' 12124', '0x2F5B' and '1.2125e4'.
  const port = portText === undefined ? 0 : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be an integer 0–65535 in decimal digits but got '${portText}'`);
  registerAllNodes(); // so array metrics of older runs (no declarations in their manifest) are drawn by their node type's kind
  let view;
  try {
    view = await viewServer(p.positional, port);
  } catch (e) {
    throw new UsageError(`eigenflow view: ${(e as Error).message}`);
  }
  io.out(`eigenflow view: ${view.url}  (Ctrl-C to stop)\n`);
  await untilInterrupted(io);
  await view.close();
  return 0;
}
