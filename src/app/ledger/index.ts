/** Signed checkpoints, proofs and the log key (issue 11, V4; docs/public.md "Signed checkpoints and proofs"). */
export * from './service.js';
export * from './keys.js';
export { openLedgerPublic, openLedgerPublicOn, ledgerPublicUnsupported } from './open.js';
