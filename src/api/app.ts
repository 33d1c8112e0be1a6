import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { AppDeps } from './deps.js';
import { authPlugin } from './auth.js';
import { installErrorHandling } from './error-handler.js';
import { healthRoutes } from './routes/health.js';

export interface BuildOptions {
  /** A pino logger (fastify 5 takes an instance via `loggerInstance`); none in tests. */
  readonly logger?: FastifyBaseLogger;
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 10 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  installErrorHandling(app);
  await app.register(helmet);
  await app.register(authPlugin(deps));
  await app.register(healthRoutes(deps));
  return app;
}
