#!/usr/bin/env node
import { isSuijiError } from '../domain/errors.js';
import { parseArgs } from './args.js';
import { ledger } from './commands/ledger.js';
import { projections } from './commands/projections.js';
import { serve } from './commands/serve.js';
import { token } from './commands/token.js';

const usage = `suiji — 双随机、一公开 verifiable random inspection

  suiji serve [--data DIR] [--port N] [--host H]   start the API (default port 8080)
  suiji ledger verify [--data DIR]                 recompute every leaf hash and the Merkle root
  suiji projections rebuild [--data DIR]           replay the ledger into the read models from zero
  suiji token create --user U --role R --department D   issue an API token (shown once)

Data directory: --data DIR, else $SUIJI_DATA, else ./data`;

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  switch (args.positional[0]) {
    case 'serve':
      return serve(args);
    case 'ledger':
      return ledger(args, out);
    case 'projections':
      return projections(args, out);
    case 'token':
      return token(args, out);
    default:
      out(usage);
      return args.positional[0] === undefined || args.flags.has('help') ? 0 : 2;
  }
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
