export { EsdbEventStore, openEsdbStore, type EsdbStoreOptions } from './esdb-store.js';
export { isEsdbUrl, parseEsdbUrl, DEFAULT_LEDGER } from './location.js';
export { appendAtomically, streamState, PhysicalConflict, type StreamLog, type LogEvent, type ProtocolOptions } from './protocol.js';
