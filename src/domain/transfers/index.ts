/** E8: transferring a moved target's visit to the new jurisdiction's unit, on that unit's acceptance. */
export * from './events.js';
export * from './decide.js';
