/** Read model of visits (T5) and the executing units' work queues (T6). */
export { visitsProjection } from './projection.js';
export { getVisit, listVisits, visitStatuses, type VisitListQuery, type VisitView } from './queries.js';
