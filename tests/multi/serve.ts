/** One `suiji serve --store URL` process for the several-instance tests: started on a free port, its base URL once it serves. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cliPath } from '../cli/run-cli.js';

/** Starts an instance on `data` and `url`; the child is pushed on `children` for the caller to kill. */
export async function startInstance(children: ChildProcess[], data: string, url: string): Promise<string> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--data', data, '--store', url, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let address: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    const entry = JSON.parse(line) as { msg: string };
    address ??= /listening at (http:\/\/[^\s]+)/.exec(entry.msg)?.[1];
    if (entry.msg === 'suiji serving') break;
  }
  if (!address) throw new Error('instance did not start');
  return address;
}
