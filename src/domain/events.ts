import type { EventDefinition } from './event-definition.js';
import { departmentEventDefinitions } from './registers/departments/events.js';
import { expertEventDefinitions } from './registers/experts/events.js';
import { inspectorEventDefinitions } from './registers/inspectors/events.js';
import { itemListEventDefinitions } from './registers/item-list/events.js';
import { specialRegisterEventDefinitions } from './registers/special-registers/events.js';
import { targetEventDefinitions } from './registers/targets/events.js';
import { userEventDefinitions } from './registers/users/events.js';
import { tokenEventDefinitions } from './tokens/events.js';
import { drawEventDefinitions } from './draws/index.js';
import { directedOrderEventDefinitions } from './directed-orders/index.js';
import { planEventDefinitions } from './plans/index.js';
import { noticeEventDefinitions } from './notices/index.js';
import { taskEventDefinitions } from './tasks/index.js';
import { nonRandomInspectionEventDefinitions } from './nonrandom-inspections/index.js';
import { visitEventDefinitions } from './visits/index.js';
import { evidenceEventDefinitions } from './evidence/index.js';
import { formEventDefinitions } from './forms/index.js';
import { inspectionEventDefinitions } from './inspections/index.js';
import { resultEventDefinitions } from './results/index.js';
import { transferEventDefinitions } from './transfers/index.js';
import { followUpEventDefinitions } from './followups/index.js';

/**
 * Every event type of every aggregate, for `new EventCatalogue(allEventDefinitions)`.
 * Append an aggregate's `…EventDefinitions` array here when it is added (plans, tasks, draws, …).
 */
export const allEventDefinitions: readonly EventDefinition[] = [
  ...departmentEventDefinitions,
  ...userEventDefinitions,
  ...itemListEventDefinitions,
  ...targetEventDefinitions,
  ...specialRegisterEventDefinitions,
  ...inspectorEventDefinitions,
  ...expertEventDefinitions,
  ...tokenEventDefinitions,
  ...drawEventDefinitions,
  ...directedOrderEventDefinitions,
  ...planEventDefinitions,
  ...noticeEventDefinitions,
  ...taskEventDefinitions,
  ...nonRandomInspectionEventDefinitions,
  ...visitEventDefinitions,
  ...evidenceEventDefinitions,
  ...formEventDefinitions,
  ...inspectionEventDefinitions,
  ...resultEventDefinitions,
  ...transferEventDefinitions,
  ...followUpEventDefinitions,
];
