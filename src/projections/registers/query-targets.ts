import type { Database } from 'better-sqlite3';
import type { FromSchema } from 'json-schema-to-ts';
import { DEFAULT_POOL_STATUS, parseTargetFilter, type TargetFilter, type TargetRecord } from '../../domain/registers/index.js';
import { compileValidator, usccSchema } from '../../domain/registers/index.js';
import { SuijiError } from '../../domain/errors.js';
import { placeholders, stmt } from './sql.js';
import { rowToTarget, type TargetRow } from './targets.js';
import { nameCandidates } from './name-index.js';

/**
 * A name search reads at most this many candidates from the index and counts at most this many
 * matches: beyond it `total` is this figure and `totalCapped` is true ("10000+"). A text
 * carried by more names than this (有限公司) narrows nothing a person would page through.
 */
export const NAME_SEARCH_CAP = 10_000;

/** Paging: at most `limit` rows in uscc order after the opaque cursor `after`. */
export const pageSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, after: usccSchema },
} as const;
export type Page = FromSchema<typeof pageSchema>;
const parsePage = compileValidator<Page>(pageSchema, 'page');

/**
 * Search by name (issue 8 §4): a substring, case-insensitive for Latin letters (SQLite's LIKE
 * folds ASCII only), at least 2 characters so a search narrows something, at most 50. The
 * trigram index (name-index.ts) finds the candidates; LIKE decides (docs/api.md §3 gives the
 * measured cost).
 */
export const searchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 2, maxLength: 50 } },
} as const;
export type Search = FromSchema<typeof searchSchema>;
const parseSearch = compileValidator<Search>(searchSchema, 'search');

/** `%` and `_` (and the escape itself) typed by a user match themselves, not any text. */
export const likeSubstring = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface TargetPage {
  readonly items: readonly (TargetRecord & { readonly specialRegisters: readonly string[] })[];
  /** Matching targets in total (independent of paging); a lower bound when `totalCapped`. */
  readonly total: number;
  /** A name search matched more than NAME_SEARCH_CAP targets: `total` is that cap, not a count. */
  readonly totalCapped: boolean;
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

const orNone = <T>(x: T | SuijiError): T => {
  if (x instanceof SuijiError) throw x;
  return x;
};

/**
 * The WHERE clause of a pool filter. Semantics are those of `matchesTargetFilter`
 * (src/domain/registers/targets/filter.ts, documented in docs/registers.md); a property
 * test holds the two equal.
 */
export function targetWhere(f: TargetFilter, { scan = false }: { readonly scan?: boolean } = {}): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const list = (col: string, values: readonly string[] | undefined): void => {
    if (values === undefined) return;
    parts.push(`${col} IN (${placeholders(values.length)})`);
    params.push(...values);
  };
  // `+` keeps SQLite off the (status, uscc) index: nearly every target is active, so walking
  // that index in uscc order costs one table lookup per active target, while a scan of the
  // WITHOUT ROWID table is already in uscc order. Measured at 10^6 targets, same run: region+
  // industry 820 → 328 ms, risk C/D 803 → 368 ms, dishonest 832 → 222 ms. A status-only
  // filter (the whole register) keeps the index, which covers it; so does a jurisdiction filter,
  // whose (jurisdiction, status, uscc) index yields one department's targets already in order.
  // `scan`: the caller reads other columns of every match (PL5's exemption facts), so the table scan wins even then.
  const indexStatus = !scan && (f.jurisdiction !== undefined || Object.keys(f).every((k) => k === 'status'));
  list(indexStatus ? 't.status' : '+t.status', f.status ?? DEFAULT_POOL_STATUS);
  list('t.entity_type', f.entityType);
  list('t.scale', f.scale);
  list('t.region', f.region);
  list('t.risk_level', f.riskLevel);
  list('t.credit_level', f.creditLevel);
  list('t.jurisdiction', f.jurisdiction);
  if (f.industry) {
    // Exact prefix comparison (LIKE would be case-insensitive and treat _ and % specially).
    parts.push(`(${f.industry.map(() => 'substr(t.industry, 1, ?) = ?').join(' OR ')})`);
    for (const p of f.industry) params.push(p.length, p);
  }
  const flag = (col: string, v: boolean | undefined): void => {
    if (v === undefined) return;
    parts.push(`${col} = ?`);
    params.push(v ? 1 : 0);
  };
  flag('t.dishonest', f.dishonest);
  flag('t.abnormal_operation', f.abnormalOperation);
  flag('t.key_industry', f.keyIndustry);
  if (f.minComplaints !== undefined) {
    parts.push('t.complaint_count >= ?');
    params.push(f.minComplaints);
  }
  if (f.specialRegister !== undefined) {
    // Driven by the membership table's (register_id, uscc) key: 14,000 members of 10^6 targets are
    // looked up by key instead of probing membership once per target (fuel-retail at 10^6: 411 → 52 ms).
    parts.push('t.uscc IN (SELECT s.uscc FROM reg_target_special s WHERE s.register_id = ?)');
    params.push(f.specialRegister);
  }
  return { sql: parts.join(' AND '), params };
}

/** T3: one page of the targets matching `filter` and `search` (validated; unknown keys refused), in uscc order. */
export function queryTargets(db: Database, filter: unknown, page: unknown = {}, search: unknown = {}): TargetPage {
  const f = orNone(parseTargetFilter(filter));
  const p = orNone(parsePage(page));
  const q = orNone(parseSearch(search));
  const limit = p.limit ?? 100;
  const where = targetWhere(f);
  let total: () => { total: number; totalCapped: boolean } = () => ({
    // Dynamic SQL is prepared per call: caching it would grow without bound with distinct filters.
    total: db.prepare(`SELECT count(*) FROM reg_targets t WHERE ${where.sql}`).pluck().get(...where.params) as number,
    totalCapped: false,
  });
  if (q.name !== undefined) {
    // LIKE decides every match; the index only says where to look.
    where.sql += " AND t.name LIKE ? ESCAPE '\\'";
    where.params.push(likeSubstring(q.name));
    const ids = nameCandidates(db, q.name, NAME_SEARCH_CAP + 1);
    if (ids !== null && ids.length <= NAME_SEARCH_CAP) {
      // Every match is among these ≤ 10,000 ids: the page and the count look up only them.
      where.sql += ' AND t.uscc IN (SELECT n.uscc FROM reg_target_names n WHERE n.id IN (SELECT value FROM json_each(?)))';
      where.params.push(JSON.stringify(ids));
    } else {
      // A common text: matches are dense (over 1% of a 10^6 register), so the page is found by
      // walking the register in uscc order, and the count stops at the cap. Also the way while
      // the index is being built after a rebuild (ids null): LIKE alone gives the same answer.
      total = () => {
        const n = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM reg_targets t WHERE ${where.sql} LIMIT ?)`).pluck().get(...where.params, NAME_SEARCH_CAP + 1) as number;
        return { total: Math.min(n, NAME_SEARCH_CAP), totalCapped: n > NAME_SEARCH_CAP };
      };
    }
  }
  const counted = total();
  const rows = db.prepare(`SELECT t.* FROM reg_targets t WHERE ${where.sql}${p.after ? ' AND t.uscc > ?' : ''} ORDER BY t.uscc LIMIT ?`).all(
    ...where.params,
    ...(p.after ? [p.after] : []),
    limit + 1,
  ) as TargetRow[];
  const shown = rows.slice(0, limit);
  const specials = stmt(db, 'SELECT register_id FROM reg_target_special WHERE uscc = ? ORDER BY register_id').pluck();
  return {
    items: shown.map((r) => ({ ...rowToTarget(r), specialRegisters: specials.all(r.uscc) as string[] })),
    ...counted,
    nextCursor: rows.length > limit ? shown[shown.length - 1]!.uscc : null,
  };
}

/** T3/V2: every matching uscc, sorted ascending (byte order = code-unit order for the ASCII alphabet). */
export function poolOf(db: Database, filter: unknown): string[] {
  const where = targetWhere(orNone(parseTargetFilter(filter)));
  return db.prepare(`SELECT t.uscc FROM reg_targets t WHERE ${where.sql} ORDER BY t.uscc`).pluck().all(...where.params) as string[];
}

/** One register entry with its special registers, or undefined. */
export function getTarget(db: Database, uscc: string): (TargetRecord & { readonly specialRegisters: readonly string[] }) | undefined {
  const r = stmt(db, 'SELECT * FROM reg_targets WHERE uscc = ?').get(uscc) as TargetRow | undefined;
  if (!r) return undefined;
  const specialRegisters = stmt(db, 'SELECT register_id FROM reg_target_special WHERE uscc = ? ORDER BY register_id').pluck().all(uscc) as string[];
  return { ...rowToTarget(r), specialRegisters };
}

export interface SpecialRegisterRow {
  readonly registerId: string;
  readonly department: string;
  readonly version: number;
  readonly standard: { name: string; objectType: string; indicators: unknown; supervisionRequirements: string };
  readonly members: number;
}

/** L4: the special registers with their current standard and member count. */
export function listSpecialRegisters(db: Database): SpecialRegisterRow[] {
  const rows = stmt(
    db,
    `SELECT r.*, (SELECT count(*) FROM reg_target_special s WHERE s.register_id = r.register_id) AS members FROM reg_special_registers r ORDER BY r.register_id`,
  ).all() as { register_id: string; department: string; version: number; name: string; object_type: string; indicators: string; supervision_requirements: string; members: number }[];
  return rows.map((r) => ({
    registerId: r.register_id,
    department: r.department,
    version: r.version,
    standard: { name: r.name, objectType: r.object_type, indicators: JSON.parse(r.indicators) as unknown, supervisionRequirements: r.supervision_requirements },
    members: r.members,
  }));
}
