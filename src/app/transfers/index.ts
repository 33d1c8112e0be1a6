/** E8 transfers of a visit to the new jurisdiction's unit, as use cases. */
export * from './requests.js';
export * from './service.js';
