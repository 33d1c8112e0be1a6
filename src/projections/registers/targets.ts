import type { Database } from 'better-sqlite3';
import type { SpecialRegisterEvent, TargetEvent, TargetRecord } from '../../domain/registers/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { bool, domainEvent, stmt } from './sql.js';
import { buildNameIndexStep, dropNameIndex, ensureNameIndex, indexName } from './name-index.js';

/**
 * L4: the comprehensive register, special-register membership and standards.
 * Indexes: only (status, uscc) and (jurisdiction, status, uscc). Measured on 50,000 targets
 * (2 shared cores): extra indexes on industry, region and risk tripled rebuild time
 * (insert 0.3 s → 0.5–0.8 s) while every pool query stayed under 30 ms without them.
 */
export const targetsProjection: Projection = {
  name: 'registers.targets',
  // v3: the *_since columns (PL5: the ledger position of each exemption fact).
  // v4: the name search index (name-index.ts, issue 8 §4).
  version: 4,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS reg_targets (
        uscc TEXT PRIMARY KEY, name TEXT NOT NULL, entity_type TEXT NOT NULL, scale TEXT NOT NULL, industry TEXT NOT NULL,
        region TEXT NOT NULL, jurisdiction TEXT NOT NULL, risk_level TEXT NOT NULL, credit_level TEXT NOT NULL,
        dishonest INTEGER NOT NULL, abnormal_operation INTEGER NOT NULL, key_industry INTEGER NOT NULL,
        complaint_count INTEGER NOT NULL, status TEXT NOT NULL, updated_at TEXT NOT NULL,
        key_industry_since INTEGER, abnormal_operation_since INTEGER, dishonest_since INTEGER, complaint_since INTEGER) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS reg_targets_status ON reg_targets (status, uscc);
      CREATE INDEX IF NOT EXISTS reg_targets_jurisdiction ON reg_targets (jurisdiction, status, uscc);
      CREATE TABLE IF NOT EXISTS reg_target_special (
        register_id TEXT NOT NULL, uscc TEXT NOT NULL, standard_version INTEGER NOT NULL, PRIMARY KEY (register_id, uscc)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS reg_target_special_uscc ON reg_target_special (uscc);
      CREATE TABLE IF NOT EXISTS reg_special_registers (
        register_id TEXT PRIMARY KEY, department TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
        object_type TEXT NOT NULL, indicators TEXT NOT NULL, supervision_requirements TEXT NOT NULL);`);
    ensureNameIndex(db);
  },
  reset(db) {
    dropNameIndex(db);
    db.exec('DROP TABLE IF EXISTS reg_targets; DROP TABLE IF EXISTS reg_target_special; DROP TABLE IF EXISTS reg_special_registers;');
  },
  // A rebuild builds the secondary indexes and the name index once over the full tables (apply needs only the primary keys).
  beforeRebuild(db) {
    db.exec('DROP INDEX IF EXISTS reg_targets_status; DROP INDEX IF EXISTS reg_targets_jurisdiction; DROP INDEX IF EXISTS reg_target_special_uscc;');
    dropNameIndex(db);
  },
  afterRebuild(db) {
    this.setup(db);
  },
  // The name index is built after the rebuild, a slice at a time (name-index.ts).
  background(db) {
    return buildNameIndexStep(db);
  },
  apply(db: Database, recorded: RecordedEvent) {
    const e = domainEvent<TargetEvent | SpecialRegisterEvent>(recorded);
    const at = recorded.recordedAt;
    switch (e.type) {
      case 'TargetRegistered':
        writeTarget(db, e.payload, at, recorded.position);
        return;
      case 'TargetUpdated':
        updateTarget(db, e.payload.uscc, e.payload.changes, at, recorded.position);
        return;
      case 'TargetStatusChanged':
        stmt(db, 'UPDATE reg_targets SET status = ?, updated_at = ? WHERE uscc = ?').run(e.payload.status, at, e.payload.uscc);
        return;
      case 'TargetTransferred':
        stmt(db, 'UPDATE reg_targets SET jurisdiction = ?, updated_at = ? WHERE uscc = ?').run(e.payload.toDepartment, at, e.payload.uscc);
        return;
      case 'TargetAdmittedToSpecialRegister':
        stmt(db, 'INSERT OR REPLACE INTO reg_target_special VALUES (?, ?, ?)').run(e.payload.registerId, e.payload.uscc, e.payload.standardVersion);
        return;
      case 'TargetRemovedFromSpecialRegister':
        stmt(db, 'DELETE FROM reg_target_special WHERE register_id = ? AND uscc = ?').run(e.payload.registerId, e.payload.uscc);
        return;
      case 'SpecialRegisterDefined':
      case 'RegisterStandardRevised': {
        const p = e.payload;
        const department = 'department' in p ? p.department : (stmt(db, 'SELECT department FROM reg_special_registers WHERE register_id = ?').pluck().get(p.registerId) as string | undefined);
        if (department === undefined) return;
        stmt(db, 'INSERT OR REPLACE INTO reg_special_registers VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          p.registerId, department, p.version, p.standard.name, p.standard.objectType, JSON.stringify(p.standard.indicators), p.standard.supervisionRequirements,
        );
        return;
      }
      default:
        return;
    }
  },
};

function writeTarget(db: Database, t: TargetRecord, at: string, position: number): void {
  const since = (on: boolean): number | null => (on ? position : null);
  stmt(db, 'INSERT OR REPLACE INTO reg_targets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    t.uscc, t.name, t.entityType, t.scale, t.industry, t.region, t.jurisdiction, t.riskLevel, t.creditLevel,
    bool(t.flags.dishonest), bool(t.flags.abnormalOperation), bool(t.flags.keyIndustry), t.flags.complaintCount, t.status, at,
    since(t.flags.keyIndustry), since(t.flags.abnormalOperation), since(t.flags.dishonest), since(t.flags.complaintCount > 0),
  );
  indexName(db, t.uscc, t.name);
}

/**
 * PL5: where each exemption fact was established. A flag keeps the position of the event that
 * turned it on (re-stating it changes nothing; clearing it forgets it); the complaint count
 * keeps the position of its last change. SQLite evaluates every SET expression on the old row,
 * so `key_industry = 1` below reads the value before this update.
 */
const sinceSql = [
  'key_industry_since = CASE WHEN ? = 1 THEN (CASE WHEN key_industry = 1 THEN key_industry_since ELSE ? END) ELSE NULL END',
  'abnormal_operation_since = CASE WHEN ? = 1 THEN (CASE WHEN abnormal_operation = 1 THEN abnormal_operation_since ELSE ? END) ELSE NULL END',
  'dishonest_since = CASE WHEN ? = 1 THEN (CASE WHEN dishonest = 1 THEN dishonest_since ELSE ? END) ELSE NULL END',
  'complaint_since = CASE WHEN ? = 0 THEN NULL WHEN ? = complaint_count THEN complaint_since ELSE ? END',
];

const columnOf = [
  ['name', 'name'],
  ['entityType', 'entity_type'],
  ['scale', 'scale'],
  ['industry', 'industry'],
  ['region', 'region'],
  ['riskLevel', 'risk_level'],
  ['creditLevel', 'credit_level'],
] as const;

const FLAGS_BIT = 1 << columnOf.length;
const updateSql: string[] = [];

/**
 * Only the changed columns are written (a rebuild replays many updates); the SQL for each set
 * of changed fields (a bit mask, at most 2^8 shapes) is built once.
 */
function updateTarget(db: Database, uscc: string, changes: Partial<TargetRecord>, at: string, position: number): void {
  let mask = 0;
  const params: (string | number)[] = [];
  for (let i = 0; i < columnOf.length; i++) {
    const v = changes[columnOf[i]![0]];
    if (v === undefined) continue;
    mask |= 1 << i;
    params.push(v);
  }
  const f = changes.flags;
  if (f) {
    mask |= FLAGS_BIT;
    params.push(bool(f.keyIndustry), position, bool(f.abnormalOperation), position, bool(f.dishonest), position, f.complaintCount, f.complaintCount, position);
    params.push(bool(f.dishonest), bool(f.abnormalOperation), bool(f.keyIndustry), f.complaintCount);
  }
  let sql = updateSql[mask];
  if (sql === undefined) {
    const sets = columnOf.filter((_, i) => mask & (1 << i)).map(([, column]) => `${column} = ?`);
    if (mask & FLAGS_BIT) sets.push(...sinceSql, 'dishonest = ?', 'abnormal_operation = ?', 'key_industry = ?', 'complaint_count = ?');
    sql = updateSql[mask] = `UPDATE reg_targets SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE uscc = ?`;
  }
  stmt(db, sql).run(...params, at, uscc);
  if (changes.name !== undefined) indexName(db, uscc, changes.name);
}

export interface TargetRow {
  uscc: string;
  name: string;
  entity_type: string;
  scale: string;
  industry: string;
  region: string;
  jurisdiction: string;
  risk_level: string;
  credit_level: string;
  dishonest: number;
  abnormal_operation: number;
  key_industry: number;
  complaint_count: number;
  status: string;
  updated_at: string;
  key_industry_since: number | null;
  abnormal_operation_since: number | null;
  dishonest_since: number | null;
  complaint_since: number | null;
}

/** PL5: the facts a target's exemption may rest on, with the ledger position that established each (null: not set). */
export interface ExemptionFacts {
  readonly keyIndustry: number | null;
  readonly abnormalOperation: number | null;
  readonly dishonest: number | null;
  readonly complaintCount: number;
  readonly complaintsSince: number | null;
}

export function exemptionFactsOf(db: Database, uscc: string): ExemptionFacts | undefined {
  const r = stmt(db, 'SELECT key_industry_since, abnormal_operation_since, dishonest_since, complaint_count, complaint_since FROM reg_targets WHERE uscc = ?').get(uscc) as
    | Pick<TargetRow, 'key_industry_since' | 'abnormal_operation_since' | 'dishonest_since' | 'complaint_count' | 'complaint_since'>
    | undefined;
  if (!r) return undefined;
  return { keyIndustry: r.key_industry_since, abnormalOperation: r.abnormal_operation_since, dishonest: r.dishonest_since, complaintCount: r.complaint_count, complaintsSince: r.complaint_since };
}

/** A row as the domain record; the row was written from a catalogue-validated event. */
export function rowToTarget(r: TargetRow): TargetRecord {
  return {
    uscc: r.uscc,
    name: r.name,
    entityType: r.entity_type as TargetRecord['entityType'],
    scale: r.scale as TargetRecord['scale'],
    industry: r.industry,
    region: r.region,
    jurisdiction: r.jurisdiction,
    riskLevel: r.risk_level as TargetRecord['riskLevel'],
    creditLevel: r.credit_level as TargetRecord['creditLevel'],
    flags: { dishonest: r.dishonest === 1, abnormalOperation: r.abnormal_operation === 1, keyIndustry: r.key_industry === 1, complaintCount: r.complaint_count },
    status: r.status as TargetRecord['status'],
  };
}

export function readTargetRow(db: Database, uscc: string): TargetRecord | undefined {
  const r = stmt(db, 'SELECT * FROM reg_targets WHERE uscc = ?').get(uscc) as TargetRow | undefined;
  return r ? rowToTarget(r) : undefined;
}
