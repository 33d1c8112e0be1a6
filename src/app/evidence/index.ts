/** Evidence upload and verification as use cases (E10). */
export { EvidenceService, type EvidenceDeps, type UploadRequest, type UploadResult } from './service.js';
