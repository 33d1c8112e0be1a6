/** Public notices (公示, P2): published automatically, in the same append as the step they publish. */
export * from './events.js';
export * from './plan-notice.js';
export * from './task-notice.js';
