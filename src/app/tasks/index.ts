/** Tasks as a use case (T1–T4, PL6, P2). */
export * from './service.js';
export * from './queries.js';
