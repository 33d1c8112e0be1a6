import fp from 'fastify-plugin';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import { SuijiError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { actorForToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set from `Authorization: Bearer …`; null for anonymous (public) requests. */
    actor: Actor | null;
  }
}

/**
 * Bearer authentication for the whole app. A request with a malformed, unknown or revoked
 * token is refused outright (401) even on public routes, so a client never mistakes a bad
 * token for anonymous access.
 */
export const authPlugin = (deps: AppDeps): FastifyPluginAsync =>
  fp(async (app) => {
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (header === undefined) return;
      const m = /^Bearer (\S+)$/.exec(header);
      const actor = m ? actorForToken(deps.projections.db, m[1]!) : null;
      if (!actor) throw new SuijiError('UNAUTHENTICATED', { field: 'authorization' });
      request.actor = actor;
    });
  });

/** The authenticated actor of a non-public route; 401 when anonymous. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new SuijiError('UNAUTHENTICATED', { field: 'authorization' });
  return request.actor;
}
