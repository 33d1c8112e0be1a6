export * from './service.js';
export * from './requests.js';
