/**
 * What the evidence store accepts (E10, A4: limits are configuration, not constants). Types are
 * the MIME types `file-type` sniffs from the bytes; the file name and the client's
 * Content-Type are never consulted.
 */
export interface EvidenceLimits {
  /** Largest blob accepted, in bytes. */
  readonly maxBytes: number;
  /** Sniffed MIME types accepted. */
  readonly types: readonly string[];
}

/**
 * The whole-process record (全过程记录): photos (JPEG, PNG, WebP, HEIC from phones), documents
 * (PDF), audio (MP3, M4A, WAV) and video (MP4, MOV from law-enforcement recorders and phones).
 */
export const defaultEvidenceTypes: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
  'audio/mpeg',
  'audio/x-m4a',
  'audio/mp4',
  'audio/wav',
  'video/mp4',
  'video/quicktime',
];

/** 500 MiB: an hour of 1080p law-enforcement recorder video is about 1–2 GB, split by the device into shorter files. */
export const DEFAULT_EVIDENCE_MAX_BYTES = 500 * 1024 * 1024;

export const defaultEvidenceLimits: EvidenceLimits = { maxBytes: DEFAULT_EVIDENCE_MAX_BYTES, types: defaultEvidenceTypes };

/** Defaults overridden by what is given; a bad value is a RangeError naming the field (configuration is checked at start-up). */
export function evidenceLimits(partial: Partial<EvidenceLimits> = {}): EvidenceLimits {
  const l = { ...defaultEvidenceLimits, ...partial };
  if (!Number.isSafeInteger(l.maxBytes) || l.maxBytes < 1) throw new RangeError(`evidence maxBytes must be a positive integer, got ${String(l.maxBytes)}`);
  if (l.types.length === 0 || l.types.some((t) => !/^[a-z]+\/[a-z0-9.+-]+$/.test(t))) throw new RangeError(`evidence types must be a non-empty list of MIME types, got ${l.types.join(',')}`);
  return l;
}

/** SUIJI_EVIDENCE_MAX_BYTES and SUIJI_EVIDENCE_TYPES (comma-separated MIME types), when set. */
export function evidenceLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): EvidenceLimits {
  const max = env.SUIJI_EVIDENCE_MAX_BYTES?.trim();
  const types = env.SUIJI_EVIDENCE_TYPES?.trim();
  return evidenceLimits({
    ...(max ? { maxBytes: /^\d{1,15}$/.test(max) ? Number(max) : NaN } : {}),
    ...(types ? { types: types.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '') } : {}),
  });
}
