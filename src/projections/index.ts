export type { Projection } from './projection.js';
export { ProjectionRunner, openProjectionDb } from './runner.js';
