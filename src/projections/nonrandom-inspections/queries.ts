import type { Database } from 'better-sqlite3';
import { nonRandomKinds, type NonRandomKind } from '../../domain/nonrandom-inspections/index.js';
import { stmt } from '../registers/sql.js';

export interface NonRandomInspectionView {
  readonly inspectionId: string;
  readonly kind: NonRandomKind;
  /** Always false: told apart from random inspections in every list (G2). */
  readonly random: false;
  readonly department: string;
  readonly sourceDocument: { readonly number: string; readonly issuingBody: string; readonly date: string };
  readonly targets: string[];
  readonly items: string[];
  readonly reason: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
  /** Ledger position of the record (opaque to callers beyond ordering and paging). */
  readonly position: number;
}

interface Row {
  inspection_id: string; kind: NonRandomKind; department: string; document_number: string; issuing_body: string; document_date: string;
  targets: string; items: string; reason: string; recorded_by: string; recorded_at: string; year: number; position: number;
}

// Rows hold payloads of catalogue-validated events.
const toView = (r: Row): NonRandomInspectionView => ({
  inspectionId: r.inspection_id,
  kind: r.kind,
  random: false,
  department: r.department,
  sourceDocument: { number: r.document_number, issuingBody: r.issuing_body, date: r.document_date },
  targets: JSON.parse(r.targets) as string[],
  items: JSON.parse(r.items) as string[],
  reason: r.reason,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  position: r.position,
});

export function getNonRandomInspection(db: Database, inspectionId: string): NonRandomInspectionView | undefined {
  const r = stmt(db, 'SELECT * FROM nonrandom_inspections WHERE inspection_id = ?').get(inspectionId) as Row | undefined;
  return r ? toView(r) : undefined;
}

export interface NonRandomListQuery {
  readonly kind?: NonRandomKind;
  readonly department?: string;
  readonly target?: string;
  readonly year?: number;
  /** A ledger position (keyset paging): rows after it. */
  readonly after?: number;
  readonly limit: number;
}

/** G2: the records in ledger order, filtered by kind, department, target or year. */
export function listNonRandomInspections(db: Database, q: NonRandomListQuery): NonRandomInspectionView[] {
  const where = [
    'n.position > @after',
    ...(q.kind === undefined ? [] : ['n.kind = @kind']),
    ...(q.department === undefined ? [] : ['n.department = @department']),
    ...(q.year === undefined ? [] : ['n.year = @year']),
    ...(q.target === undefined ? [] : ['n.inspection_id IN (SELECT inspection_id FROM nonrandom_inspection_targets WHERE uscc = @target)']),
  ];
  const rows = stmt(db, `SELECT n.* FROM nonrandom_inspections n WHERE ${where.join(' AND ')} ORDER BY n.position LIMIT @limit`).all({
    after: q.after ?? -1,
    limit: q.limit,
    ...(q.kind !== undefined && { kind: q.kind }),
    ...(q.department !== undefined && { department: q.department }),
    ...(q.year !== undefined && { year: q.year }),
    ...(q.target !== undefined && { target: q.target }),
  }) as Row[];
  return rows.map(toView);
}

export interface NonRandomStatistics {
  readonly year: number;
  /** Per kind: how many records and how many entity-inspections (targets summed); every kind listed, zeros included. */
  readonly byKind: { kind: NonRandomKind; inspections: number; targets: number }[];
  readonly byDepartment: { department: string; kind: NonRandomKind; inspections: number; targets: number }[];
}

/** G2: figures per kind, never mixed with random draws' (those come from the draws read model). */
export function nonRandomStatistics(db: Database, year: number): NonRandomStatistics {
  const rows = stmt(
    db,
    `SELECT department, kind, count(*) AS inspections, sum(json_array_length(targets)) AS targets
     FROM nonrandom_inspections WHERE year = ? GROUP BY department, kind ORDER BY department, kind`,
  ).all(year) as { department: string; kind: NonRandomKind; inspections: number; targets: number }[];
  const byKind = nonRandomKinds.map((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    return { kind, inspections: of.reduce((s, r) => s + r.inspections, 0), targets: of.reduce((s, r) => s + r.targets, 0) };
  });
  return { year, byKind, byDepartment: rows.map((r) => ({ ...r })) };
}
