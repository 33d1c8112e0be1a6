import { SuijiError } from '../../domain/errors.js';

const MiB = 1024 * 1024;

/**
 * What an upload may cost before any real work is done (issue 8 §1: a 1.8 MB XLSX that unzips
 * to 417 MB froze the server for ~55 s). A county register is far below each of these: the demo
 * county's 60,000 targets are a 7.8 MB CSV or a ~3 MB XLSX unzipping to ~40 MB, 14 columns.
 */
export interface ImportLimits {
  /** Bytes of the file as uploaded (the XLSX zip itself, or the CSV). */
  readonly maxFileBytes: number;
  /** XLSX: sum of the uncompressed sizes the zip's central directory declares, checked before inflating. */
  readonly maxUncompressedBytes: number;
  /** Rows read from the sheet, counting the header, title and blank rows. */
  readonly maxRows: number;
  /** Cells in any one row. */
  readonly maxColumns: number;
  /**
   * XLSX: how long the streaming read may take. exceljs's reader never settles on some corrupt
   * deflate data (found by tests/import/real-and-hostile-files.test.ts), so the read is bounded
   * and such a file refused as malformed instead of holding its request open forever.
   */
  readonly maxXlsxReadMs: number;
}

export const defaultImportLimits: ImportLimits = {
  maxFileBytes: 20 * MiB,
  maxUncompressedBytes: 200 * MiB,
  maxRows: 200_000,
  maxColumns: 64,
  maxXlsxReadMs: 60_000,
};

/**
 * A province's unified draw (省级统一抽查, issue 13): ~15,000,000 entities, sent as files of a
 * few million rows. The import streams, so memory does not grow with these; what they bound is
 * the disk and time one upload may take. ZIP64 stays refused (zip-guard.ts), so an XLSX cannot
 * declare more than 4 GiB uncompressed anyway; a register that large comes as CSV.
 */
export const provinceImportLimits: ImportLimits = {
  maxFileBytes: 2048 * MiB,
  maxUncompressedBytes: 4096 * MiB - 1,
  maxRows: 16_000_000,
  maxColumns: 64,
  maxXlsxReadMs: 60_000,
};

/** The environment variable of each limit (A4: caps are configuration, docs/registers.md). */
export const importLimitEnv: Record<keyof ImportLimits, string> = {
  maxFileBytes: 'SUIJI_IMPORT_MAX_FILE_BYTES',
  maxUncompressedBytes: 'SUIJI_IMPORT_MAX_UNCOMPRESSED_BYTES',
  maxRows: 'SUIJI_IMPORT_MAX_ROWS',
  maxColumns: 'SUIJI_IMPORT_MAX_COLUMNS',
  maxXlsxReadMs: 'SUIJI_IMPORT_MAX_XLSX_READ_MS',
};

const badSetting = (name: string, value: string): SuijiError =>
  new SuijiError(
    'VALIDATION_FAILED',
    { field: name, value },
    { zh: `导入限制配置错误：${name} 应为正整数（或 SUIJI_IMPORT_LIMITS 应为 county 或 province），实为 ${value}`, en: `import limit setting ${name} must be a positive integer (SUIJI_IMPORT_LIMITS: county or province), got ${value}` },
  );

/**
 * A4: the limits as configured — `SUIJI_IMPORT_LIMITS=county` (the default) or `province`,
 * then each limit's own variable (importLimitEnv) over that preset. A bad value is refused
 * naming the variable, never silently replaced by a default.
 */
export function importLimitsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ImportLimits {
  const preset = env.SUIJI_IMPORT_LIMITS ?? 'county';
  if (preset !== 'county' && preset !== 'province') throw badSetting('SUIJI_IMPORT_LIMITS', preset);
  const given: Partial<Record<keyof ImportLimits, number>> = {};
  for (const [k, name] of Object.entries(importLimitEnv) as [keyof ImportLimits, string][]) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    if (!/^[1-9]\d*$/.test(v) || !Number.isSafeInteger(Number(v))) throw badSetting(name, v);
    given[k] = Number(v);
  }
  return importLimits({ ...(preset === 'province' ? provinceImportLimits : defaultImportLimits), ...given });
}

const limitText: Record<Exclude<keyof ImportLimits, 'maxXlsxReadMs'>, { zh: string; en: string }> = {
  maxFileBytes: { zh: '文件大小', en: 'file size' },
  maxUncompressedBytes: { zh: 'XLSX 解压后大小', en: 'uncompressed XLSX size' },
  maxRows: { zh: '行数', en: 'row count' },
  maxColumns: { zh: '列数', en: 'column count' },
};

const show = (limit: Exclude<keyof ImportLimits, 'maxXlsxReadMs'>, n: number): string =>
  limit === 'maxRows' || limit === 'maxColumns' ? String(n) : `${Math.round((n / MiB) * 10) / 10} MiB (${n} bytes)`;

/** 413, naming the limit (`details.limit`) and its value, so the user knows what to split or trim. */
export function limitExceeded(limit: Exclude<keyof ImportLimits, 'maxXlsxReadMs'>, max: number, actual?: number): SuijiError {
  const t = limitText[limit];
  return new SuijiError(
    'PAYLOAD_TOO_LARGE',
    { field: 'file', limit, max, ...(actual === undefined ? {} : { actual }) },
    { zh: `导入文件超出限制：${t.zh}上限 ${show(limit, max)}（${limit}）`, en: `Import file over a limit: ${t.en} may be at most ${show(limit, max)} (${limit})` },
  );
}

/** Defaults overridden by what is given; a non-positive or non-integer value is a configuration error. */
export function importLimits(given: Partial<ImportLimits> = {}): ImportLimits {
  const l = { ...defaultImportLimits, ...given };
  for (const [k, v] of Object.entries(l)) if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`import limit ${k} must be a positive integer, got ${v}`);
  return l;
}
