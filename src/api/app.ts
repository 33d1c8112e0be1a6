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
import { installStrictJson } from './strict-json.js';

export interface PublicRateLimit {
  /** Anonymous requests allowed per client IP and window. */
  readonly max: number;
  /** Window in milliseconds. */
  readonly timeWindow: number;
}

/** Default for anonymous traffic (/health, /verify, /docs, public notices): 300 per minute per IP. */
export const defaultPublicRateLimit: PublicRateLimit = { max: 300, timeWindow: 60_000 };

export interface BuildOptions {
  /** A pino logger (fastify 5 takes an instance via `loggerInstance`); none in tests. */
  readonly logger?: FastifyBaseLogger;
  /** Limit on anonymous requests; `false` turns it off. Authenticated requests are not limited. */
  readonly publicRateLimit?: PublicRateLimit | false;
  /** Clock and lottery configuration of the draw routes (tests inject a clock). */
  readonly draws?: DrawRouteOptions;
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 10 * 1024 * 1024,
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
    await app.register(rateLimit, { global: true, max: limit.max, timeWindow: limit.timeWindow, allowList: (request) => request.actor !== null });
  }
  await registerOpenApi(app);
  await app.register(healthRoutes(deps));
  await app.register(registerRoutes(deps));
  await app.register(tokenRoutes(deps));
  await app.register(drawRoutes(deps, options.draws));
  await app.register(verifyRoutes(deps));
  await app.register(directedOrderRoutes(deps, options.draws?.clock));
  return app;
}
