export { buildApp, type BuildOptions } from './app.js';
export type { AppDeps } from './deps.js';
