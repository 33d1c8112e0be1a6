import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { AppDeps } from './deps.js';
import { authPlugin } from './auth.js';
import { installErrorHandling } from './error-handler.js';
import { installValidation } from './validation.js';
import { registerOpenApi } from './openapi.js';
import { healthRoutes } from './routes/health.js';
import { registerRoutes } from './routes/registers/index.js';
import { drawRoutes, type DrawRouteOptions } from './routes/draws.js';
import { tokenRoutes } from './routes/tokens.js';
import { verifyRoutes } from './routes/verify.js';
import { directedOrderRoutes } from './routes/directed-orders.js';
import { planRoutes, type PlanRouteOptions } from './routes/plans.js';
import { taskRoutes } from './routes/tasks.js';
import { visitRoutes } from './routes/visits.js';
import { noticeRoutes } from './routes/notices.js';
import { installStrictJson } from './strict-json.js';
import { nonRandomInspectionRoutes } from './routes/nonrandom-inspections.js';
import { evidenceRoutes } from './routes/evidence.js';
import { ledgerRoutes } from './routes/ledger.js';
import { formRoutes } from './routes/forms.js';
import { inspectionRoutes } from './routes/inspections.js';
import { resultRoutes, type ResultRouteOptions } from './routes/results.js';
import { afterVisitRoutes } from './routes/after-visit.js';
import { proofRoutes } from './routes/proofs.js';
import { statsRoutes } from './routes/stats.js';
import { sitePlugin } from './site/index.js';
import { cosignatureRoutes } from './routes/cosignatures.js';
import { feedRoutes, type FeedOptions } from './routes/feed.js';

export interface PublicRateLimit {
  /** Anonymous requests allowed per client IP and window. */
  readonly max: number;
  /** Window in milliseconds. */
  readonly timeWindow: number;
}

/** Default for anonymous traffic (/health, /verify, /docs, public notices): 300 per minute per IP. */
export const defaultPublicRateLimit: PublicRateLimit = { max: 300, timeWindow: 60_000 };

/**
 * Fastify's `trustProxy`: which proxies' X-Forwarded-For to believe, so that behind a reverse
 * proxy each anonymous client is rate-limited on its own address, not all as the proxy's.
 * `true` trusts any (only when the proxy is the sole way in), a number the closest N hops, a
 * list the proxies' addresses or CIDR ranges. Default: none (the socket's address).
 */
export type TrustProxy = boolean | number | readonly string[];

/** `--trust-proxy` / SUIJI_TRUST_PROXY text: `true`, `false`, a hop count, or comma-separated addresses/CIDRs. */
export function parseTrustProxy(text: string): TrustProxy {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false' || t === '') return false;
  if (/^\d{1,2}$/.test(t)) return Number(t);
  const list = t.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.some((s) => !/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(s))) throw new RangeError(`trust proxy must be true, false, a hop count or addresses/CIDRs, got ${text}`);
  return list;
}

/** Fastify's typings omit the hop count that proxy-addr accepts: a count is "trust the closest N". */
const fastifyTrustProxy = (t: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) =>
  typeof t === 'number' ? (_address, hop) => hop < t : typeof t === 'boolean' ? t : [...t];

export interface BuildOptions {
  /** A pino logger (fastify 5 takes an instance via `loggerInstance`); none in tests. */
  readonly logger?: FastifyBaseLogger;
  /** Limit on anonymous requests; `false` turns it off. Authenticated requests are not limited. */
  readonly publicRateLimit?: PublicRateLimit | false;
  /** Clock and lottery configuration of the draw routes (tests inject a clock). */
  readonly draws?: DrawRouteOptions;
  /** See TrustProxy. */
  readonly trustProxy?: TrustProxy;
  /** Configuration of the annual plans (A4: caps are configuration). */
  readonly plans?: PlanRouteOptions;
  /** Results (E5–E7): the statutory calendar, category catalogue and periods (A4); tests fix the clock. */
  readonly results?: ResultRouteOptions;
  /** GET /feed (the SSE event feed): source, heartbeat, queue and connection limits. */
  readonly feed?: FeedOptions;
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 10 * 1024 * 1024,
    ...(options.trustProxy === undefined ? {} : { trustProxy: fastifyTrustProxy(options.trustProxy) }),
  });
  installValidation(app);
  installErrorHandling(app);
  installStrictJson(app);
  await app.register(helmet);
  await app.register(authPlugin(deps));
  const limit = options.publicRateLimit ?? defaultPublicRateLimit;
  if (limit) {
    // Registered before the routes so its onRoute hook covers them all; a request that carried a
    // valid token (auth runs first, at app level) is an accountable user and is not limited.
    // GET /health is not limited either: monitors and load balancers poll it, it costs two
    // point reads, and behind a proxy without trustProxy all of them would share one budget.
    await app.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.timeWindow,
      allowList: (request) => request.actor !== null || request.routeOptions.url === '/health',
    });
  }
  await registerOpenApi(app);
  await app.register(healthRoutes(deps));
  await app.register(registerRoutes(deps));
  await app.register(tokenRoutes(deps));
  await app.register(drawRoutes(deps, options.draws));
  await app.register(verifyRoutes(deps));
  await app.register(directedOrderRoutes(deps, options.draws?.clock));
  // A4: one configured default cap for draws and plans unless the plans are given their own.
  const drawCap = options.draws?.config?.defaultMaxRatioBp;
  const planOptions = options.plans ?? (drawCap === undefined ? {} : { config: { defaultMaxRatioBp: drawCap } });
  await app.register(planRoutes(deps, planOptions));
  // Tasks check ratios against the same configured caps as the plans (A4), and count PL5 at the lock with the draws' policy.
  const pl5 = options.draws?.config?.pl5;
  await app.register(taskRoutes(deps, pl5 === undefined ? planOptions : { ...planOptions, config: { ...planOptions.config, pl5 } }));
  await app.register(visitRoutes(deps));
  await app.register(inspectionRoutes(deps));
  await app.register(noticeRoutes(deps));
  await app.register(proofRoutes(deps, deps.ledger));
  await app.register(nonRandomInspectionRoutes(deps));
  if (deps.evidence) await app.register(evidenceRoutes({ ...deps, evidence: deps.evidence }));
  await app.register(formRoutes(deps));
  await app.register(resultRoutes(deps, options.results));
  await app.register(afterVisitRoutes(deps, options.results));
  await app.register(statsRoutes(deps, options.results));
  // Issue 11: the public site (HTML at / and /public/...), read by the same clock as the draws.
  const siteClock = options.results?.clock ?? options.draws?.clock;
  await app.register(sitePlugin(deps, { ...options.results, ...(siteClock === undefined ? {} : { clock: siteClock }) }));
  if (deps.ledger) await app.register(ledgerRoutes(deps.ledger));
  if (deps.cosignatures) await app.register(cosignatureRoutes(deps.cosignatures));
  await app.register(feedRoutes(deps, options.feed));
  return app;
}
