/** Draws as a use case: pools from the read models, the clock, PL5 counters, appendMulti (docs/draws.md). */
export * from './service.js';
export * from './requests.js';
export * from './orders.js';
export * from './verdict.js';
export * from './view.js';
