export * from './events.js';
export * from './decide.js';
export * from './standing.js';
