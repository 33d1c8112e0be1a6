/** Inspections other than random ones (双随机以外的检查, G2): recorded by kind with their source document. */
export * from './events.js';
export * from './decide.js';
