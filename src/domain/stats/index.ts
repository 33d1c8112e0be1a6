/** P3/A1–A4: assessment statistics — the pure fold, its public field map and the figures. */
export * from './fields.js';
export * from './state.js';
export * from './definitions.js';
export * from './figures.js';
export * from './positions.js';
