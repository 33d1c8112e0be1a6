import fp from 'fastify-plugin';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import { SuijiError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { bootstrapOpen } from '../projections/tokens/projection.js';
import { authenticate } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set from `Authorization: Bearer …`; null for anonymous (public) requests. */
    actor: Actor | null;
  }
}

/**
 * Bearer authentication for the whole app. A request with a malformed, unknown or revoked
 * token, or the token of a deactivated or changed user (G3), is refused outright (401) even on
 * public routes, so a client never mistakes a bad token for anonymous access.
 */
export const authPlugin = (deps: AppDeps): FastifyPluginAsync =>
  fp(async (app) => {
    // Only tokens of unregistered users ask this (the bootstrap); catching up first means an
    // admin registered by another process ends the bootstrap here too, with no window.
    const bootstrap = async (): Promise<boolean> => {
      if ((await deps.projections.lag()) > 0) await deps.projections.catchUp();
      return bootstrapOpen(deps.projections.db);
    };
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (header === undefined) return;
      const m = /^Bearer (\S+)$/.exec(header);
      if (!m) throw new SuijiError('UNAUTHENTICATED', { field: 'authorization' });
      request.actor = await authenticate(deps.store, bootstrap, m[1]!);
    });
  });

/** The authenticated actor of a non-public route; 401 when anonymous. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new SuijiError('UNAUTHENTICATED', { field: 'authorization' });
  return request.actor;
}
