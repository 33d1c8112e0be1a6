import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { freshenReads } from './common.js';
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

/** 一单两库 (L1–L6) and the organisation (G3) over HTTP: one encapsulated plugin per route group. */
export const registerRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    // Read-your-writes for every register read (see `freshen`).
    freshenReads(app, deps);
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
