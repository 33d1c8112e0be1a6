import pino from 'pino';
import { buildApp } from '../../api/app.js';
import { type ParsedArgs, dataDirOf, intFlag, stringFlag } from '../args.js';
import { openRuntime } from '../runtime.js';
import { seedDemo } from './demo.js';

/**
 * `suiji serve [--data DIR] [--port N] [--host H] [--seed-demo-if-empty] [--accept-rollback]`:
 * the API on the embedded store, with pino logs. Refuses to start (LEDGER_ROLLED_BACK, exit 2)
 * on a ledger that does not extend `<data>/checkpoint`, unless `--accept-rollback`.
 */
export async function serve(args: ParsedArgs): Promise<number> {
  const dataDir = dataDirOf(args);
  const port = intFlag(args, 'port', Number(process.env.PORT ?? 8080));
  const host = stringFlag(args, 'host') ?? process.env.HOST ?? '127.0.0.1';
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const rt = await openRuntime(dataDir, {
    acceptRollback: args.flags.get('accept-rollback') === true,
    warn: (message, details) => logger.error(details, message),
    info: (message, details) => logger.info(details, message),
  });
  // `npm start` on a fresh machine: an empty ledger gets the demo county so there is something to see.
  if (args.flags.has('seed-demo-if-empty') && (await rt.store.head()).size === 0) {
    await seedDemo(rt, { seed: 370323, targets: 60_000 }, (line) => logger.info(line));
  }
  await rt.projections.start();
  const app = await buildApp({ store: rt.store, projections: rt.projections }, { logger });
  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await rt.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port, host });
  const head = await rt.store.head();
  logger.info({ dataDir, ledgerSize: head.size, root: head.root }, 'suiji serving');
  return new Promise<number>(() => {});
}
