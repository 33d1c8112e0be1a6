/** Check forms (检查表, E2) and methods (检查方式, E3): versioned templates per item, one combined form per visit. */
export * from './schemas.js';
export * from './events.js';
export * from './checks.js';
export * from './combined.js';
export * from './decide.js';
