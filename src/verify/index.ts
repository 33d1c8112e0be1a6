/**
 * Public surface of src/verify: what an auditor needs to check suiji's ledger and lottery
 * without the rest of the system. Depends only on @noble/hashes and @noble/curves.
 */
export { canonicalize, canonicalBytes } from './jcs.js';
export { EMPTY_ROOT, LEAF_PREFIX, NODE_PREFIX, MerkleFrontier, leafHash, merkleRoot, nodeHash, splitPoint } from './merkle.js';
export { formatCheckpoint, parseCheckpoint, CheckpointParseError, MAX_CHECKPOINT_CHARS, type LogCheckpoint, type CheckpointFault } from './checkpoint.js';
export { inclusionProof, merkleLevels, verifyInclusion } from './inclusion.js';
export { envelopeLeafHash, envelopeLeafHashHex } from './ledger.js';
export { DuplicateKeyError, findDuplicateKey, parseJsonStrict, type DuplicateKey } from './json.js';
export * from './lottery/index.js';
export { ARCHIVE_FORMAT, ARCHIVE_INDEX, ARCHIVE_SUMS, citedEvidence, formatSums, verifyArchive, type ArchiveEntry, type ArchiveFile, type ArchiveIndex, type ArchiveReader, type ArchiveVerdict } from './archive.js';
// tlog-cosignature (witness lane) sits apart from the note/consistency exports so parallel additions do not collide.
export {
  COSIGNATURE_HEADER,
  COSIGNATURE_KEY_TYPE,
  CosignatureError,
  cosign,
  cosignatureVerifies,
  cosignedMessage,
  cosignerKeyId,
  cosigners,
  formatCosignerKey,
  parseCosignatureLine,
  parseCosignerKey,
  verifyCosignature,
  type CosignatureFault,
  type CosignatureLine,
  type CosignerKey,
} from './cosignature.js';
export {
  ED25519_KEY_TYPE,
  MAX_NOTE_CHARS,
  MAX_NOTE_SIGNATURES,
  NoteError,
  base64Decode,
  base64Encode,
  formatSignerKey,
  formatVerifierKey,
  isValidKeyName,
  keyIdOf,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  signatureLine,
  verifiedText,
  type NoteFault,
  type NoteSignature,
  type OpenedNote,
  type SignerKey,
  type VerifierKey,
} from './note.js';
export { LEDGER_PROOF_FORMAT, anchorDrawRecord, verifyLedgerProof, type AnchorCheck, type AnchorCheckName, type AnchorReport, type LedgerProofBundle, type ProvenEvent } from './anchor.js';
export { STAGE_LABELS, STAGE_LABELS_EN, replayDraw, stageOf, type ReplayCheck, type ReplayReport, type ReplayStage, type ReplayStatus } from './replay.js';
export { consistencyProof, consistencyProofWith, verifyConsistency } from './consistency.js';
export { auditPath, perfectFromLevels, subtreeRoot, type PerfectSubtree } from './subtree.js';
