/** The pure domain: deciders, events, errors, access rules. No I/O, clock or randomness. */
export * from './actor.js';
export * from './errors.js';
export * from './decider.js';
export * from './event-definition.js';
export { EventCatalogue, schemaError } from './catalogue.js';
export { validationError, type ValidationContext } from './validation-error.js';
export { allEventDefinitions } from './events.js';
export * from './access.js';
export * from './uscc.js';
export * from './registers/index.js';
