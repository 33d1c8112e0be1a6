/** The county's side of witnessing: configured witnesses, accepted cosignatures, checkpoints served with them. */
export { loadWitnesses, WITNESSES_FILE } from './config.js';
export { CosignatureStore, sqliteCosignatureRecords, type CosignatureRecords, type StoredCosignature } from './store.js';
export { openPostgresCosignatures } from './store-postgres.js';
export { CosignatureService, MAX_FUTURE_SECONDS, type AcceptedCosignature, type CosignatureServiceDeps, type CosignatureSubmission } from './service.js';
export { openCosignatures, readLogVerifierKey } from './open.js';
