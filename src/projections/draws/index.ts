/** Read model of draws (V1) and PL5 per-entity-per-year counts. */
export { drawsProjection } from './projection.js';
export { listDraws, getDrawRow, drawCountsOf, type DrawRow, type DrawListFilter } from './queries.js';
