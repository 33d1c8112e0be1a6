/**
 * The annual plan of a department for a year (年度抽查工作计划, PL1–PL4): one stream per
 * (department, year), a sequence of versions. Each version is drafted, then filed (备案) with
 * the parent department, then acknowledged by the parent's principal or returned with a
 * reason. An adjustment is the next version, filed again. The root department files with
 * nobody (`filedWith: null`): that filing is final and recorded as such.
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { idSchema, reasonSchema } from '../registers/schemas.js';
import { planDraftSchema, planYearSchema } from './schemas.js';

const versionSchema = { type: 'integer', minimum: 1, maximum: 100000 } as const;
const idList = { type: 'array', maxItems: 1000, items: idSchema } as const;
const key = { departmentId: idSchema, year: planYearSchema, version: versionSchema } as const;

/** PL1/PL3: the whole content of the version being drafted; saved again until it is filed. */
export const PlanDraftSaved = defineEvent('PlanDraftSaved', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'year', 'version', 'items', 'reason'],
  properties: { ...planDraftSchema.properties, version: versionSchema },
} as const);

/**
 * PL1/PL2: the draft is filed. It records what the coverage was checked against (the item
 * list versions read, the items covered), so an auditor can recompute PL2, and the change from
 * the previously filed version (the visible diff of an adjustment).
 */
export const PlanVersionFiled = defineEvent('PlanVersionFiled', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'year', 'version', 'filedWith', 'listBasis', 'coveredItems', 'changes'],
  properties: {
    ...key,
    /** The parent department it is filed with; null for the root, which files with nobody. */
    filedWith: { anyOf: [idSchema, { type: 'null' }] },
    /** The item list versions (per list-owning department) the coverage was checked against. */
    listBasis: {
      type: 'array',
      maxItems: 1000,
      items: { type: 'object', additionalProperties: false, required: ['departmentId', 'version'], properties: { departmentId: idSchema, version: { type: 'integer', minimum: 1 } } },
    },
    /** Items of the unified list inspected by this department at filing: all covered (PL2). */
    coveredItems: idList,
    /** Item ids added, changed, removed since the previously filed version (all added for the first). */
    changes: {
      type: 'object',
      additionalProperties: false,
      required: ['added', 'changed', 'removed'],
      properties: { added: idList, changed: idList, removed: idList },
    },
  },
} as const);

export const PlanVersionAcknowledged = defineEvent('PlanVersionAcknowledged', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'year', 'version'],
  properties: key,
} as const);

export const PlanVersionReturned = defineEvent('PlanVersionReturned', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'year', 'version', 'reason'],
  properties: { ...key, reason: reasonSchema },
} as const);

export const planEventDefinitions = [PlanDraftSaved, PlanVersionFiled, PlanVersionAcknowledged, PlanVersionReturned] as const;
export type PlanEvent = DomainEvent<(typeof planEventDefinitions)[number]>;
export type PlanItem = PayloadOf<typeof PlanDraftSaved>['items'][number];
export type PlanFiling = PayloadOf<typeof PlanVersionFiled>;

export type PlanStatus = 'draft' | 'filed' | 'acknowledged' | 'returned';

export interface PlanVersion {
  readonly version: number;
  readonly status: PlanStatus;
  readonly items: readonly PlanItem[];
  readonly reason: string;
  /** Set once filed: the parent it went to, or null for the root. */
  readonly filing: PlanFiling | null;
  readonly returnReason: string | null;
}

export interface PlanState {
  /** Events folded so far: the revision the next event of the stream gets. */
  readonly revision: number;
  readonly versions: readonly PlanVersion[];
}
export const initialPlanState: PlanState = { revision: 0, versions: [] };

export const planStreamId = (departmentId: string, year: number): string => `plan-${departmentId}-${year}`;

export const latestVersion = (s: PlanState): PlanVersion | undefined => s.versions[s.versions.length - 1];

/**
 * The version in force: the latest one filed and not returned. Filing (备案) records the plan
 * with the parent, it is not an approval, so a filed version applies while the parent has not
 * answered; a returned version never applies and the one before it stays in force.
 */
export const inForceVersion = (s: PlanState): PlanVersion | undefined =>
  [...s.versions].reverse().find((v) => v.status === 'filed' || v.status === 'acknowledged');

const setStatus = (s: PlanState, version: number, change: Partial<PlanVersion>): readonly PlanVersion[] =>
  s.versions.map((v) => (v.version === version ? { ...v, ...change } : v));

export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'PlanDraftSaved': {
      const p = event.payload;
      const draft: PlanVersion = { version: p.version, status: 'draft', items: p.items, reason: p.reason, filing: null, returnReason: null };
      const others = state.versions.filter((v) => v.version !== p.version);
      return { revision, versions: [...others, draft] };
    }
    case 'PlanVersionFiled':
      return { revision, versions: setStatus(state, event.payload.version, { status: 'filed', filing: event.payload }) };
    case 'PlanVersionAcknowledged':
      return { revision, versions: setStatus(state, event.payload.version, { status: 'acknowledged' }) };
    case 'PlanVersionReturned':
      return { revision, versions: setStatus(state, event.payload.version, { status: 'returned', returnReason: event.payload.reason }) };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
