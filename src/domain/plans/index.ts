/** Annual plans (年度抽查工作计划, PL1–PL4): versions drafted, filed with the parent, acknowledged or returned. */
export * from './schemas.js';
export * from './events.js';
export * from './checks.js';
export * from './decide.js';
