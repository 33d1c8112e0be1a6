/** Results, review, publication, corrections and objections as use cases (E5, P2, E6, E7). */
export * from './requests.js';
export * from './service.js';
export * from './view.js';
