/** E9 follow-ups as use cases. */
export * from './requests.js';
export * from './service.js';
