import type { Command } from 'commander';
import pino from 'pino';
import { readVerifierKey } from '../../app/proofs/index.js';
import { buildApp, parseTrustProxy } from '../../api/app.js';
import { importLimitsFromEnv } from '../../app/registers-io/index.js';
import { SuijiError } from '../../domain/errors.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { finish } from '../exit.js';
import { dataDirOf, dataOption, nonNegativeInt, storeOption } from '../options.js';
import { describeStore, storeLocationOf } from '../../store/index.js';
import { openRuntime } from '../runtime.js';
import { seedDemo } from './demo.js';
import { ensureLogKey } from '../../app/ledger/index.js';

interface ServeOptions {
  readonly data?: string;
  readonly store?: string;
  readonly port?: number;
  readonly host?: string;
  readonly trustProxy?: string | true;
  readonly seedDemoIfEmpty?: boolean;
  readonly acceptRollback?: boolean;
}

/** `--trust-proxy [VALUE]` (bare: true), else SUIJI_TRUST_PROXY; see TrustProxy in src/api/app.ts. */
function trustProxyOf(flag: string | true | undefined) {
  const text = flag === true ? 'true' : (flag ?? process.env.SUIJI_TRUST_PROXY);
  if (text === undefined) return undefined;
  try {
    return parseTrustProxy(text);
  } catch {
    throw new SuijiError('VALIDATION_FAILED', { field: '--trust-proxy', value: text }, { zh: '--trust-proxy 应为 true、false、代理层数或以逗号分隔的地址/CIDR', en: '--trust-proxy must be true, false, a hop count or comma-separated addresses/CIDRs' });
  }
}

/**
 * `suiji serve`: the API on the embedded store, with pino logs. Refuses to start
 * (LEDGER_ROLLED_BACK, exit 2) on a ledger that does not extend `<data>/checkpoint`, unless
 * `--accept-rollback`.
 */
export function registerServe(program: Command, _ctx: CliContext, box: ExitBox): void {
  program
    .command('serve')
    .description('启动 API 服务（默认 127.0.0.1:8080） / start the API (default 127.0.0.1:8080); refuses a ledger that does not extend <data>/checkpoint unless --accept-rollback')
    .addOption(dataOption())
    .addOption(storeOption())
    .option('--port <n>', '端口 / port (default: $PORT, else 8080)', nonNegativeInt('--port'))
    .option('--host <host>', '监听地址 / listen address (default: $HOST, else 127.0.0.1)')
    .option('--trust-proxy [value]', '反向代理：true、代理层数或地址/CIDR / behind a reverse proxy: true, a hop count or addresses/CIDRs (default: $SUIJI_TRUST_PROXY)')
    .option('--seed-demo-if-empty', '空账本时写入演示数据 / seed the demo county into an empty ledger')
    .option('--accept-rollback', '仍然打开未延续检查点的账本（大声记录） / open a ledger that does not extend its checkpoint anyway (logged loudly)')
    .action(act(box, (opts: ServeOptions) => serve(opts)));
}

async function serve(opts: ServeOptions): Promise<number> {
  const dataDir = dataDirOf(opts);
  const port = opts.port ?? nonNegativeInt('PORT')(process.env.PORT ?? '8080');
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
  const trustProxy = trustProxyOf(opts.trustProxy);
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const store = storeLocationOf(opts.store);
  const rt = await openRuntime(dataDir, {
    ...(store === undefined ? {} : { store }),
    acceptRollback: opts.acceptRollback === true,
    warn: (message, details) => logger.error(details, message),
    info: (message, details) => logger.info(details, message),
    // Only the server accepts witness cosignatures: a bad keys/witnesses stops it here, as before.
    cosignatures: true,
  });
  // `npm start` on a fresh machine: an empty ledger gets the demo county so there is something to see.
  if (opts.seedDemoIfEmpty === true && (await rt.store.head()).size === 0) {
    await seedDemo(rt, { seed: 370323, targets: 60_000 }, (line) => logger.info(line));
  }
  // The demo serves signed checkpoints too (issue 11): a demo data directory gets a log key.
  if (opts.seedDemoIfEmpty === true) {
    const vkey = ensureLogKey(dataDir);
    if (vkey) logger.info({ vkey }, 'log signing key created');
  }
  await rt.projections.start();
  const app = await buildApp({ store: rt.store, projections: rt.projections, evidence: rt.evidence, ledger: rt.ledger, cosignatures: rt.cosignatures ?? undefined, logVerifierKey: () => readVerifierKey(rt.dataDir), importLimits: importLimitsFromEnv() }, { logger, results: { calendar: rt.calendar }, ...(trustProxy === undefined ? {} : { trustProxy }) });
  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await rt.close();
    await finish(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port, host });
  // Fill the proof cache in the background (yielding between steps), not on the first request.
  void rt.ledger.warm().catch((err: unknown) => logger.error({ err }, 'ledger node cache fill failed'));
  const head = await rt.store.head();
  logger.info({ dataDir, store: describeStore({ dataDir, store }), ledgerSize: head.size, root: head.root, calendarYears: `${rt.calendar.years[0]}–${rt.calendar.years.at(-1)}` }, 'suiji serving');
  return new Promise<number>(() => {});
}
