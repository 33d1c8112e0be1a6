#!/usr/bin/env node
import { isSuijiError } from '../domain/errors.js';
import { finish } from './exit.js';
import { runProgram } from './program.js';

// A reader that goes away early (`suiji draw export ID | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

runProgram(process.argv.slice(2)).then(
  (code) => finish(code),
  (e: unknown) => {
    if (isSuijiError(e)) {
      process.stderr.write(`错误 / error ${e.code}: ${e.messageZh} / ${e.messageEn} ${JSON.stringify(e.details)}\n`);
      return finish(2);
    }
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return finish(1);
  },
);
