import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { departmentRoutes } from './departments.js';
import { expertWriteRoutes } from './experts.js';
import { importRoutes } from './imports.js';
import { inspectorWriteRoutes } from './inspectors.js';
import { itemListRoutes } from './item-list.js';
import { peopleReadRoutes } from './people-read.js';
import { specialRegisterRoutes } from './special-registers.js';
import { targetReadRoutes } from './targets-read.js';
import { targetWriteRoutes } from './targets.js';
import { userRoutes } from './users.js';

/** One page of the projection runner: what a single read may catch up on its own. */
export const READ_YOUR_WRITES_MAX_LAG = 5_000;

/** 一单两库 (L1–L6) and the organisation (G3) over HTTP: one encapsulated plugin per route group. */
export const registerRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    // Read-your-writes: a read first applies what the ledger holds beyond the projections, so a
    // GET right after an acknowledged write sees it before the live subscription delivers it.
    // A larger lag means a rebuild or start-up catch-up is under way: serve what is there
    // rather than make one request do that work (GET /health reports the lag).
    app.addHook('preHandler', async (request) => {
      if (request.method !== 'GET') return;
      const lag = await deps.projections.lag();
      if (lag > 0 && lag <= READ_YOUR_WRITES_MAX_LAG) await deps.projections.catchUp();
    });
    await app.register(departmentRoutes(deps));
    await app.register(userRoutes(deps));
    await app.register(itemListRoutes(deps));
    await app.register(targetWriteRoutes(deps));
    await app.register(targetReadRoutes(deps));
    await app.register(specialRegisterRoutes(deps));
    await app.register(inspectorWriteRoutes(deps));
    await app.register(expertWriteRoutes(deps));
    await app.register(peopleReadRoutes(deps));
    await app.register(importRoutes(deps));
  };
