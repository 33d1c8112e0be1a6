/**
 * A visit's own stream (`visit-<visitId>`): inspector matching (T6–T8, T10). The stream starts
 * when the visit is frozen — a matching draw is committed over it or it is assigned directly —
 * and records its content then, so the merge rule (merge.ts rules 6–7) can keep it fixed.
 * Each contributing department (the executing unit; for a joint task also each participant)
 * supplies its own group; the visit is matched when every one of them has.
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { dateSchema, idSchema, reasonSchema, usccSchema } from '../registers/schemas.js';

const window = { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: dateSchema, to: dateSchema } } as const;
const ids = { type: 'array', maxItems: 1000, items: idSchema } as const;
const memberId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const members = { type: 'array', maxItems: 1000, items: memberId } as const;
export const visitReplacementReasons = ['postChange', 'workConflict', 'health'] as const;

/** The visit as merged when it froze (merge.ts Visit) plus the participants of its joint tasks. */
export const VisitFrozen = defineEvent('VisitFrozen', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'executingUnit', 'uscc', 'window', 'items', 'tasks', 'participants'],
  properties: {
    visitId: { type: 'string', minLength: 1, maxLength: 200 },
    executingUnit: idSchema,
    uscc: usccSchema,
    window,
    items: ids,
    tasks: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: { type: 'object', additionalProperties: false, required: ['taskId', 'items', 'window'], properties: { taskId: idSchema, items: ids, window } },
    },
    /** Joint tasks: departments that each contribute a share of the group (sorted). */
    participants: ids,
  },
} as const);

/** T6: a matching draw of `department` was committed over the visit (written with the commitment). */
export const VisitMatchingCommitted = defineEvent('VisitMatchingCommitted', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'department', 'drawId'],
  properties: { visitId: { type: 'string' }, department: idSchema, drawId: { type: 'string', minLength: 1, maxLength: 300 } },
} as const);

/** T6/T7/T10: `department`'s group as the latest completed draw of the matching lineage has it. */
export const VisitMatched = defineEvent('VisitMatched', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'department', 'matchingDraw', 'drawId', 'pool', 'leader', 'members', 'experts'],
  properties: {
    visitId: { type: 'string' },
    department: idSchema,
    /** The root matching draw (the one committed over the visit). */
    matchingDraw: { type: 'string', minLength: 1, maxLength: 300 },
    /** The latest completed draw of its lineage (the root, or a replacement, T10). */
    drawId: { type: 'string', minLength: 1, maxLength: 300 },
    pool: { enum: ['local', 'joint'] },
    leader: { anyOf: [memberId, { type: 'null' }] },
    members,
    experts: members,
  },
} as const);

/** T8: the completed matching draw formed no group for the visit (too few inspectors or experts). */
export const VisitLeftUnmatched = defineEvent('VisitLeftUnmatched', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'department', 'drawId', 'need'],
  properties: { visitId: { type: 'string' }, department: idSchema, drawId: { type: 'string' }, need: { enum: ['inspectors', 'experts', 'abandoned'] } },
} as const);

/** T8/T7: a principal assigned `department`'s group directly, with the reason. */
export const VisitAssigned = defineEvent('VisitAssigned', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'department', 'leader', 'members', 'experts', 'reason', 'assignedBy'],
  properties: { visitId: { type: 'string' }, department: idSchema, leader: memberId, members, experts: members, reason: reasonSchema, assignedBy: idSchema },
} as const);

/** T10: an operator or principal asks to replace a member of a drawn group, naming the reason. */
export const VisitReplacementRequested = defineEvent('VisitReplacementRequested', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'request', 'department', 'member', 'reason', 'requestedBy'],
  properties: {
    visitId: { type: 'string' },
    /** 1, 2, … within the visit. */
    request: { type: 'integer', minimum: 1 },
    department: idSchema,
    member: memberId,
    reason: { enum: visitReplacementReasons },
    requestedBy: idSchema,
  },
} as const);

/** T10: a principal of the department approved with their own token; the replacement draw was committed in the same append. */
export const VisitReplacementApproved = defineEvent('VisitReplacementApproved', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'request', 'approvedBy', 'drawId'],
  properties: { visitId: { type: 'string' }, request: { type: 'integer', minimum: 1 }, approvedBy: idSchema, drawId: { type: 'string' } },
} as const);

export const visitEventDefinitions = [VisitFrozen, VisitMatchingCommitted, VisitMatched, VisitLeftUnmatched, VisitAssigned, VisitReplacementRequested, VisitReplacementApproved] as const;
export type VisitEvent = DomainEvent<(typeof visitEventDefinitions)[number]>;
export type FrozenVisit = PayloadOf<typeof VisitFrozen>;
export type VisitReplacementReason = (typeof visitReplacementReasons)[number];

export const visitStreamId = (visitId: string): string => `visit-${visitId}`;

export interface VisitGroup {
  readonly via: 'draw' | 'direct';
  /** The root matching draw and the latest draw of its lineage; null when assigned directly. */
  readonly matchingDraw: string | null;
  readonly drawId: string | null;
  readonly leader: string | null;
  readonly members: readonly string[];
  readonly experts: readonly string[];
  readonly reason: string | null;
}

export interface Contribution {
  /** The matching draw committed over the visit and not yet applied (T6). */
  readonly pending: string | null;
  readonly group: VisitGroup | null;
  /** The last completed matching draw that formed no group (T8), and why. */
  readonly unmatched: { readonly drawId: string; readonly need: string } | null;
}

export interface ReplacementRequest {
  readonly request: number;
  readonly department: string;
  readonly member: string;
  readonly reason: VisitReplacementReason;
  readonly requestedBy: string;
  readonly approvedBy: string | null;
  readonly drawId: string | null;
}

export type VisitState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly visit: FrozenVisit;
      /** Per contributing department: the executing unit, then each participant. */
      readonly contributions: Readonly<Record<string, Contribution>>;
      readonly requests: readonly ReplacementRequest[];
    };
export const initialVisitState: VisitState = { exists: false };

/** The departments whose groups make up the visit's group: the executing unit first (its leader leads). */
export const contributors = (v: FrozenVisit): string[] => [v.executingUnit, ...v.participants.filter((p) => p !== v.executingUnit)];

const empty: Contribution = { pending: null, group: null, unmatched: null };

export function evolveVisit(state: VisitState, event: VisitEvent): VisitState {
  if (event.type === 'VisitFrozen') return { exists: true, visit: event.payload, contributions: {}, requests: [] };
  if (!state.exists) return state;
  const set = (department: string, change: Partial<Contribution>): VisitState => ({
    ...state,
    contributions: { ...state.contributions, [department]: { ...(state.contributions[department] ?? empty), ...change } },
  });
  switch (event.type) {
    case 'VisitMatchingCommitted':
      return set(event.payload.department, { pending: event.payload.drawId });
    case 'VisitMatched': {
      const p = event.payload;
      return set(p.department, { pending: null, unmatched: null, group: { via: 'draw', matchingDraw: p.matchingDraw, drawId: p.drawId, leader: p.leader, members: p.members, experts: p.experts, reason: null } });
    }
    case 'VisitLeftUnmatched':
      return set(event.payload.department, { pending: null, unmatched: { drawId: event.payload.drawId, need: event.payload.need } });
    case 'VisitAssigned': {
      const p = event.payload;
      return set(p.department, { pending: null, group: { via: 'direct', matchingDraw: null, drawId: null, leader: p.leader, members: p.members, experts: p.experts, reason: p.reason } });
    }
    case 'VisitReplacementRequested': {
      const p = event.payload;
      return { ...state, requests: [...state.requests, { request: p.request, department: p.department, member: p.member, reason: p.reason, requestedBy: p.requestedBy, approvedBy: null, drawId: null }] };
    }
    case 'VisitReplacementApproved': {
      const p = event.payload;
      return { ...state, requests: state.requests.map((r) => (r.request === p.request ? { ...r, approvedBy: p.approvedBy, drawId: p.drawId } : r)) };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** T6: matched when every contributing department has a group. */
export const isMatched = (s: VisitState): boolean => s.exists && contributors(s.visit).every((d) => s.contributions[d]?.group);

/** The visit's group: the executing unit's leader, then every contributor's members in contributor order. */
export function combinedGroup(s: VisitState): { leader: string | null; members: string[]; experts: string[] } | null {
  if (!s.exists || !isMatched(s)) return null;
  const groups = contributors(s.visit).map((d) => s.contributions[d]!.group!);
  return { leader: groups[0]!.leader, members: groups.flatMap((g) => g.members), experts: [...new Set(groups.flatMap((g) => g.experts))] };
}
