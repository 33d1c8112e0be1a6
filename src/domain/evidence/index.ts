/** Evidence files of the whole-process record (E10): the ledger side; the bytes live in src/store/evidence. */
export * from './events.js';
export * from './decide.js';
