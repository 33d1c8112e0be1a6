/** Directed special orders (专项整治/上级指令): the recorded, approved basis of a PL5 exemption. */
export * from './events.js';
export * from './decide.js';
