import { sha256 } from '@noble/hashes/sha2.js';
import { createHash } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Actor } from '../../domain/actor.js';
import { SuijiError } from '../../domain/errors.js';
import { TimeSlice } from '../../store/time-slice.js';
import type { RegisterCommand } from '../../domain/registers/index.js';
import { inspectorImport } from './inspectors.js';
import type { ImportKind } from './kind.js';
import { RowParser, type DepartmentName, type RowError } from './row-parser.js';
import type { Table } from './table.js';
import { targetImport } from './targets.js';

export type ImportKindName = 'targets' | 'inspectors';

/** Runs one register command through the command handler; resolves to the types of the events appended ([] = no change). */
export type ExecuteCommand = (command: RegisterCommand) => Promise<readonly string[]>;

/** A command's outcome in a batch: the types of the events appended, or why it was refused. */
export type Outcome = readonly string[] | SuijiError;

/** Runs several commands in one go (see `storeBatchExecutor`); one outcome per command, in order. */
export type ExecuteBatch = (commands: readonly RegisterCommand[]) => Promise<readonly Outcome[]>;

export interface ImportProgress {
  readonly done: number;
  readonly total: number;
}

export interface ImportOptions {
  readonly kind: ImportKindName;
  readonly table: Table;
  /** Lowercase hex SHA-256 of the file's bytes (see `hashFile`). */
  readonly fileHash: string;
  readonly fileName?: string;
  readonly actor: Actor;
  /** ISO instant for every command's metadata. */
  readonly now: string;
  readonly execute: ExecuteCommand;
  /** When given, valid rows are executed `batchSize` at a time through it instead of `execute` one by one. */
  readonly executeBatch?: ExecuteBatch;
  /** Rows per batch with `executeBatch`. Default DEFAULT_BATCH. */
  readonly batchSize?: number;
  /** Lets 管辖部门/所属部门 cells hold department names as well as ids. */
  readonly departments?: readonly DepartmentName[];
  readonly onProgress?: (p: ImportProgress) => void;
  /**
   * Where the import yields to the event loop (issue 8 §1); share it with the batch executor
   * so both count against one budget. Default: a fresh TimeSlice.
   */
  readonly slice?: TimeSlice;
}

export interface ImportReport {
  readonly kind: ImportKindName;
  readonly fileName: string | null;
  readonly fileHash: string;
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly missingColumns: readonly string[];
  readonly ignoredColumns: readonly string[];
  readonly errors: readonly RowError[];
}

export const importKinds: { readonly [K in ImportKindName]: ImportKind<unknown> } = {
  targets: targetImport as ImportKind<unknown>,
  inspectors: inspectorImport as ImportKind<unknown>,
};

export const hashFile = (bytes: Uint8Array): string => bytesToHex(sha256(bytes));

/**
 * Deterministic per file and row: re-importing the same file re-sends the same commands, so
 * the handler's derived event ids and the deciders' no-change rule make it a no-op.
 */
export const importCommandId = (fileHash: string, kind: ImportKindName, row: number): string =>
  // node:crypto, not @noble: the same SHA-256, ~4% of an import's CPU with @noble (docs/performance.md "Imports").
  `import-${createHash('sha256').update(`suiji/import/1\u0000${fileHash}\u0000${kind}\u0000${row}`, 'utf8').digest('hex').slice(0, 32)}`;

export const PROGRESS_EVERY = 200;
/**
 * Rows per ledger transaction of `suiji import` (the CLI: no request waits on its event loop;
 * the server uses SERVER_IMPORT_BATCH). The ledger is synchronous=FULL: each transaction's
 * COMMIT waits for an fsync, which at 200 rows was ~21% of a 50,000-row import's time on this
 * busy disk; 2,000 rows made the import 1.8× faster with the same CPU (docs/performance.md
 * "Imports"). A batch whose events exceed MAX_EVENTS_PER_APPEND (10,000: a row is one event
 * plus one per special register it leaves) is refused by the store and redone row by row.
 */
export const DEFAULT_BATCH = 2000;

/**
 * Rows per ledger append of `POST /imports` (issue 8 §1). An append is synchronous — envelope
 * hashing, inserts and the fsync block the server's event loop — and costs about 0.15 ms a row
 * (2 shared cores): 200 rows held reads up 24 ms median, 65 ms at worst; 50 rows 4 ms, 11–34 ms,
 * at much the same import rate (docs/registers.md "Imports and responsiveness").
 */
export const SERVER_IMPORT_BATCH = 50;

export function errorFromSuiji(row: number, e: SuijiError, spec: ImportKind<unknown>): RowError {
  const top = typeof e.details.field === 'string' ? e.details.field.split('/').filter(Boolean)[0] : undefined;
  const column = e.code === 'FORBIDDEN' ? spec.ownerColumn : (top && spec.columnOf[top]) || null;
  return { row, column, code: e.code, messageZh: e.messageZh, messageEn: e.messageEn };
}

/**
 * Validates every row and executes the valid ones as Sync commands (L3, L4, L6). Invalid rows
 * are reported with row number, column and a bilingual reason; they never stop the others.
 */
export async function importTable(o: ImportOptions): Promise<ImportReport> {
  const spec = importKinds[o.kind];
  const missingColumns = spec.headers.filter((h) => !o.table.headers.includes(h));
  const ignoredColumns = o.table.headers.filter((h) => !spec.headers.includes(h));
  const base = { kind: o.kind, fileName: o.fileName ?? null, fileHash: o.fileHash, total: o.table.rows.length, missingColumns, ignoredColumns };
  if (missingColumns.length > 0) {
    const errors = missingColumns.map((c) => ({ row: 1, column: c, code: 'VALIDATION_FAILED', messageZh: `缺少列：${c}`, messageEn: `missing column: ${c}` }));
    return { ...base, created: 0, updated: 0, unchanged: 0, rejected: o.table.rows.length, errors };
  }
  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let rejected = 0;
  const record = (row: number, outcome: Outcome): void => {
    if (outcome instanceof SuijiError) {
      // A refused row (e.g. L4: another department's target) is reported; a store failure aborts.
      if (outcome.status >= 500) throw outcome;
      errors.push(errorFromSuiji(row, outcome, spec));
      rejected++;
    } else if (outcome.length === 0) unchanged++;
    else if (outcome.some((t) => t.endsWith('Registered'))) created++;
    else updated++;
  };
  const pending: { row: number; command: RegisterCommand }[] = [];
  const flush = async (): Promise<void> => {
    const batch = pending.splice(0);
    if (o.executeBatch) {
      if (batch.length === 0) return;
      const outcomes = await o.executeBatch(batch.map((b) => b.command));
      batch.forEach((b, k) => record(b.row, outcomes[k]!));
      return;
    }
    for (const b of batch) {
      let outcome: Outcome;
      try {
        outcome = await o.execute(b.command);
      } catch (e) {
        if (!(e instanceof SuijiError)) throw e;
        outcome = e;
      }
      record(b.row, outcome);
    }
  };
  const batchSize = o.executeBatch ? Math.max(1, o.batchSize ?? DEFAULT_BATCH) : 1;
  const slice = o.slice ?? new TimeSlice();
  for (const [i, { rowNumber, cells }] of o.table.rows.entries()) {
    await slice.pass();
    if (i % PROGRESS_EVERY === 0) o.onProgress?.({ done: i, total: o.table.rows.length });
    const p = new RowParser(rowNumber, cells, o.departments);
    p.checkCharacters(spec.headers, o.table.invalidBytes === true);
    const parsed = spec.parse(p);
    const data = p.errors.length === 0 ? spec.validate(parsed) : undefined;
    if (data instanceof SuijiError) p.errors.push(errorFromSuiji(rowNumber, data, spec));
    if (p.errors.length > 0 || data === undefined || data instanceof SuijiError) {
      errors.push(...p.errors);
      rejected++;
      continue;
    }
    const key = spec.key(data);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      errors.push({ row: rowNumber, column: spec.headers[0] ?? null, code: 'VALIDATION_FAILED', messageZh: `与第${first}行重复`, messageEn: `duplicate of row ${first}`, value: key });
      rejected++;
      continue;
    }
    firstRowOf.set(key, rowNumber);
    const command = spec.command(
      { ...(data as object), reason: `导入 import ${o.fileName ?? o.fileHash.slice(0, 12)} 第${rowNumber}行` },
      { actor: o.actor, now: o.now, commandId: importCommandId(o.fileHash, o.kind, rowNumber) },
    );
    pending.push({ row: rowNumber, command });
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  o.onProgress?.({ done: o.table.rows.length, total: o.table.rows.length });
  // Batched rows report after later rows' parse errors: keep the report in row order (stable).
  errors.sort((a, b) => a.row - b.row);
  return { ...base, created, updated, unchanged, rejected, errors };
}
