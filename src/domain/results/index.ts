/** A visit's results: review, publication in 20 working days, corrections, objections (E5, P2, E6, E7). */
export * from './categories.js';
export * from './deadline.js';
export * from './decide.js';
export * from './events.js';
export * from './notice.js';
