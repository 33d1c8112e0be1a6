#!/usr/bin/env node
import { isSuijiError } from '../domain/errors.js';
import { type ParsedArgs, parseArgs } from './args.js';
import { demo } from './commands/demo.js';
import { draw } from './commands/draw.js';
import { ledger } from './commands/ledger.js';
import { projections } from './commands/projections.js';
import { exportCommand, importCommand } from './commands/registers-io.js';
import { serve } from './commands/serve.js';
import { token } from './commands/token.js';

const usage = `suiji — 双随机、一公开 verifiable random inspection

  suiji serve [--data DIR] [--port N] [--host H] [--trust-proxy true|N|CIDRs] [--seed-demo-if-empty] [--accept-rollback]
                                                   start the API (default 127.0.0.1:8080); refuses a ledger
                                                   that does not extend <data>/checkpoint unless --accept-rollback
  suiji ledger verify [--data DIR] [--checkpoint FILE]
                                                   recompute every leaf hash and the Merkle root, and check
                                                   the ledger extends FILE and <data>/checkpoint
  suiji projections rebuild [--data DIR]           replay the ledger into the read models from zero
  suiji token create --user U --role R --department D [--label L]
                                                   issue an API token (shown once)
  suiji token list [--user U]                      list tokens and their status (never a secret)
  suiji token revoke TOKEN_ID --reason R           revoke a token (refused from the next request on)
  suiji import targets|inspectors FILE [--department D]
                                                   import a CSV/XLSX register; row report next to FILE
  suiji export targets|inspectors FILE [--department D]
                                                   export a register as CSV/XLSX (by extension)
  suiji demo seed [--targets N] [--seed S]         seed the demo county (沂源县) into an empty ledger
  suiji draw export ID [--out FILE]                write a draw's self-contained public record
  suiji draw verify FILE [--offline] | --draw ID   replay a draw, compare it with the ledger: ledger / foreign / inconsistent
  suiji draw …                                     commit, reveal, drand, ceremony, complete, abandon (suiji draw for help)

Data directory: --data DIR, else $SUIJI_DATA, else ./data`;

type Out = (line: string) => void;
const commands: Record<string, (args: ParsedArgs, out: Out) => Promise<number>> = {
  serve,
  ledger,
  projections,
  token,
  import: importCommand,
  export: exportCommand,
  demo,
  draw: (args, out) => draw(args, out),
};

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['seed-demo-if-empty', 'accept-rollback', 'help']));
  const out: Out = (line) => void process.stdout.write(`${line}\n`);
  const name = args.positional[0];
  const command = name === undefined ? undefined : commands[name];
  if (!command || (args.flags.has('help') && args.positional.length === 1)) {
    out(usage);
    return name === undefined || args.flags.has('help') ? 0 : 2;
  }
  return command(args, out);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (isSuijiError(e)) {
      process.stderr.write(`错误 / error ${e.code}: ${e.messageZh} / ${e.messageEn} ${JSON.stringify(e.details)}\n`);
      process.exit(2);
    }
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
