import type { Actor } from './actor.js';
import { authorize, type AccessAction } from './access.js';

/**
 * Who may read each event type over the event feed (GET /feed), and what an anonymous reader
 * sees of a public one (P2 公示, V4 anyone replays a draw). Pure: the feed asks, per event.
 *
 * The rules follow the read routes: what a route serves without a token is public here, and an
 * event read through a route guarded by an access action needs that same action
 * (src/domain/access.ts), so the feed never shows more than the API does.
 *
 * - `public`: everyone reads it. Anonymous readers get the public view: the payload members in
 *   `publicFields` only, and of the actor only the department (`{ department }`): a public
 *   record names the unit that acted, never a person's user id or role — the person is internal
 *   (staff read the full actor). Readers with a token get the whole payload and actor.
 * - `internal`: a token whose role may perform `action`, checked without a department, so a
 *   department-scoped action (`user.read`) fails closed and leaves only the roles that hold it
 *   everywhere (admin, auditor). `omit` members are left out for every reader.
 */
export type ReadRule =
  | { readonly audience: 'public'; readonly rule: string; readonly publicFields: readonly string[] }
  | { readonly audience: 'internal'; readonly action: AccessAction; readonly omit?: readonly string[] };

const internal = (action: AccessAction, omit?: readonly string[]): ReadRule => ({ audience: 'internal', action, ...(omit && { omit }) });
const open = (rule: string, publicFields: readonly string[]): ReadRule => ({ audience: 'public', rule, publicFields });

// V4: the whole draw record is public (GET /draws/:id/export serves every member of these
// payloads), so a draw's events are public in full: anyone can replay it from the feed.
const drawRecord = (fields: readonly string[]): ReadRule => open('V4', fields);

/** One rule per event type of the catalogue; tests/domain/publicity.test.ts fails on a type without one. */
export const publicityRules: Readonly<Record<string, ReadRule>> = {
  // Registers (L1–L4): item lists are public (GET /item-lists/* serves them without a token);
  // the rest are read with `register.read` by staff.
  DepartmentRegistered: internal('register.read'),
  DepartmentUpdated: internal('register.read'),
  ItemListVersionPublished: open('L1', ['departmentId', 'version', 'items', 'changes', 'reason']),
  TargetRegistered: internal('register.read'),
  TargetUpdated: internal('register.read'),
  TargetStatusChanged: internal('register.read'),
  TargetTransferred: internal('register.read'),
  TargetAdmittedToSpecialRegister: internal('register.read'),
  TargetRemovedFromSpecialRegister: internal('register.read'),
  SpecialRegisterDefined: internal('register.read'),
  RegisterStandardRevised: internal('register.read'),
  InspectorRegistered: internal('register.read'),
  InspectorUpdated: internal('register.read'),
  InspectorStatusChanged: internal('register.read'),
  InspectorConflictDeclared: internal('register.read'),
  InspectorConflictWithdrawn: internal('register.read'),
  ExpertRegistered: internal('register.read'),
  ExpertUpdated: internal('register.read'),
  ExpertStatusChanged: internal('register.read'),
  ExpertConflictDeclared: internal('register.read'),
  ExpertConflictWithdrawn: internal('register.read'),
  // Users and tokens: admin and auditor only (`user.read` without a department). The secret's
  // hash never leaves the ledger through the feed, not even to them: nobody needs it to act.
  UserRegistered: internal('user.read'),
  UserRoleChanged: internal('user.read'),
  UserDeactivated: internal('user.read'),
  TokenIssued: internal('user.read', ['secretHash']),
  TokenRevoked: internal('user.read'),
  // Draws (V1–V4): public in full.
  DrawCommitted: drawRecord(['drawId', 'task', 'purpose', 'department', 'commitment', 'commitmentHash', 'pools', 'revealDeadline', 'drandFallbackAfter', 'limits', 'counting', 'approval']),
  WitnessSecretRevealed: drawRecord(['drawId', 'witness', 'secret']),
  DrandBeaconRecorded: drawRecord(['drawId', 'round', 'signature', 'randomness']),
  CeremonyValueRecorded: drawRecord(['drawId', 'value']),
  DrawCompleted: drawRecord(['drawId', 'commitmentHash', 'revealed', 'seed', 'result']),
  DrawAbandoned: drawRecord(['drawId', 'commitmentHash', 'reason', 'at', 'grounds']),
  // PL5's per-business yearly count is bookkeeping of the task lock, read with the tasks.
  DrawCounted: internal('task.read'),
  DirectedOrderRecorded: internal('task.read'),
  DirectedOrderApproved: internal('task.read'),
  // Plans: drafts and versions are read with `plan.read`; a filed plan is published as a notice.
  PlanDraftSaved: internal('plan.read'),
  PlanVersionFiled: internal('plan.read'),
  PlanVersionAcknowledged: internal('plan.read'),
  PlanVersionReturned: internal('plan.read'),
  // P2: notices (plans, task announcements, results) are what 公示 means.
  NoticePublished: open('P2', ['noticeId', 'kind', 'title', 'department', 'subject', 'body']),
  TaskNumberAllocated: internal('task.read'),
  TaskCreated: internal('task.read'),
  TaskDelegated: internal('task.read'),
  TaskDelegationAccepted: internal('task.read'),
  TaskListLocked: internal('task.read'),
  TaskDispatched: internal('task.read'),
  NonRandomInspectionRecorded: internal('nonRandomInspection.read'),
  VisitFrozen: internal('task.read'),
  VisitMatchingCommitted: internal('task.read'),
  VisitMatched: internal('task.read'),
  VisitLeftUnmatched: internal('task.read'),
  VisitAssigned: internal('task.read'),
  VisitReplacementRequested: internal('task.read'),
  VisitReplacementApproved: internal('task.read'),
  EvidenceStored: internal('evidence.read'),
  FormVersionPublished: internal('form.read'),
  VisitFormChosen: internal('form.read'),
  // The on-site record (GET /inspections/:visitId is read with `task.read`).
  PreCheckRecorded: internal('task.read'),
  OnSiteRecorded: internal('task.read'),
  TargetSigned: internal('task.read'),
  TargetSignatureRefused: internal('task.read'),
  InspectorSigned: internal('task.read'),
  InspectionRecordClosed: internal('task.read'),
  // Results are published through NoticePublished; the events behind them are internal. An
  // objection's contact (a person's phone or address) is never public.
  ResultsSubmitted: internal('result.read'),
  VisitOutcomeRecorded: internal('result.read'),
  ResultsReturned: internal('result.read'),
  ResultsApproved: internal('result.read'),
  ResultCorrected: internal('result.read'),
  ObjectionReceived: internal('result.read'),
  ObjectionDecided: internal('result.read'),
  ObjectionFeedbackGiven: internal('result.read'),
  VisitTransferProposed: internal('followUp.read'),
  VisitTransferAccepted: internal('followUp.read'),
  FollowUpOpened: internal('followUp.read'),
  FollowUpUpdated: internal('followUp.read'),
  FollowUpClosed: internal('followUp.read'),
};

/** The rule of a type; undefined for a type the feed does not know (then nobody reads it: fail closed). */
export const readRuleOf = (type: string): ReadRule | undefined => (Object.hasOwn(publicityRules, type) ? publicityRules[type] : undefined);

/** Whether `reader` (null: anonymous) may read events of `type` on the feed. */
export function mayRead(reader: Actor | null, type: string): boolean {
  const rule = readRuleOf(type);
  if (!rule) return false;
  if (rule.audience === 'public') return true;
  return reader !== null && authorize(reader, rule.action) === null;
}

/** What a reader sees of one event: the payload (whole or its public view) and the actor. */
export interface EventView {
  readonly payload: unknown;
  readonly actor: Partial<Actor>;
}

/** The view `reader` gets of an event, or null when it may not read it. */
export function viewFor(reader: Actor | null, event: { readonly type: string; readonly payload: unknown; readonly actor: Actor }): EventView | null {
  const rule = readRuleOf(event.type);
  if (!rule || !mayRead(reader, event.type)) return null;
  if (rule.audience === 'internal') return { payload: rule.omit ? omit(event.payload, rule.omit) : event.payload, actor: event.actor };
  if (reader !== null) return { payload: event.payload, actor: event.actor };
  return { payload: pick(event.payload, rule.publicFields), actor: { department: event.actor.department } };
}

function pick(payload: unknown, fields: readonly string[]): unknown {
  if (typeof payload !== 'object' || payload === null) return {};
  const out: Record<string, unknown> = {};
  for (const f of fields) if (Object.hasOwn(payload, f)) out[f] = (payload as Record<string, unknown>)[f];
  return out;
}

function omit(payload: unknown, fields: readonly string[]): unknown {
  if (typeof payload !== 'object' || payload === null) return payload;
  const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  for (const f of fields) delete out[f];
  return out;
}
