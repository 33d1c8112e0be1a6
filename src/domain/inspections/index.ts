/** The on-site inspection record of a visit (E1, E4, A3): stream `inspection-<visitId>`. */
export * from './events.js';
export * from './decide.js';
