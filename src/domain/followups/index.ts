/** E9: follow-ups of a published result with a problem, tracked until closed. */
export * from './events.js';
export * from './decide.js';
