import pino from 'pino';
import { buildApp, parseTrustProxy } from '../../api/app.js';
import { SuijiError } from '../../domain/errors.js';
import { type ParsedArgs, dataDirOf, intFlag, stringFlag } from '../args.js';
import { openRuntime } from '../runtime.js';
import { seedDemo } from './demo.js';

/** `--trust-proxy [VALUE]` (bare: true), else SUIJI_TRUST_PROXY; see TrustProxy in src/api/app.ts. */
function trustProxyOf(args: ParsedArgs) {
  const flag = args.flags.get('trust-proxy');
  const text = flag === true ? 'true' : (flag ?? process.env.SUIJI_TRUST_PROXY);
  if (text === undefined) return undefined;
  try {
    return parseTrustProxy(text);
  } catch {
    throw new SuijiError('VALIDATION_FAILED', { field: '--trust-proxy', value: text }, { zh: '--trust-proxy 应为 true、false、代理层数或以逗号分隔的地址/CIDR', en: '--trust-proxy must be true, false, a hop count or comma-separated addresses/CIDRs' });
  }
}

/**
 * `suiji serve [--data DIR] [--port N] [--host H] [--trust-proxy V] [--seed-demo-if-empty] [--accept-rollback]`:
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
  const trustProxy = trustProxyOf(args);
  const app = await buildApp({ store: rt.store, projections: rt.projections }, { logger, ...(trustProxy === undefined ? {} : { trustProxy }) });
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
