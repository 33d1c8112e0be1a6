import type { Projection } from './projection.js';
import { drawsProjection } from './draws/index.js';
import { registerProjections } from './registers/index.js';
import { tokensProjection } from './tokens/projection.js';
import { businessNoticesProjection, noticesProjection, plansProjection } from './plans/index.js';
import { nonRandomInspectionsProjection } from './nonrandom-inspections/index.js';
import { visitsProjection } from './visits/index.js';
import { tasksProjection } from './tasks/index.js';
import { followUpsProjection } from './followups/index.js';
import { statsProjection } from './stats/index.js';

/** Every projection the server runs, in apply order. */
export const allProjections = (): Projection[] => [tokensProjection, ...registerProjections, drawsProjection, plansProjection, noticesProjection,
  businessNoticesProjection, nonRandomInspectionsProjection, visitsProjection, tasksProjection, followUpsProjection, statsProjection];
