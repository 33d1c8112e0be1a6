/** Annual plans as a use case (PL1–PL4, P2): the service and its views. */
export * from './service.js';
export * from './view.js';
