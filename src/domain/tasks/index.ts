/** Tasks (抽查任务, T1–T4, PL6): created under the plan or ad hoc, delegated, locked and dispatched. */
export * from './schemas.js';
export * from './number.js';
export * from './events.js';
export * from './checks.js';
export * from './decide.js';
