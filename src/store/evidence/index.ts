/** The content-addressed evidence store (E10): SHA-256 names, size limit, type sniffed from the bytes, never deleted. */
export { EvidenceStore, type BlobCheck, type PutOptions, type StoredBlob } from './blob-store.js';
export { DEFAULT_EVIDENCE_MAX_BYTES, defaultEvidenceLimits, defaultEvidenceTypes, evidenceLimits, evidenceLimitsFromEnv, type EvidenceLimits } from './limits.js';
export { SHA256_HEX, evidenceHashMismatch, evidenceNotFound, malformedSha256 } from './errors.js';
