/** Deterministic demo data for a county commerce bureau (沂源县, 370323): commands for the command handler. */
export { generateDemo, demoCodesValid, demoTargets, type DemoData, type DemoOptions } from './generate.js';
export { planDemoWrites } from './writes.js';
export { DemoRandom } from './prng.js';
export * as yiyuan from './yiyuan.js';
export { seedDemoYear, type YearSummary } from './year/index.js';
