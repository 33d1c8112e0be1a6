/** P3/A1: assessment statistics — the service behind GET /stats and `suiji stats`, and the public export. */
export * from './service.js';
export * from './export.js';
export * from './table.js';
export * from './schemas.js';
