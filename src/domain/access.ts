import type { Actor } from './actor.js';
import { SuijiError } from './errors.js';

/**
 * Who may do what (G3, L3, L4 谁管辖、谁维护). One pure check used by every register decider
 * and by the API before a read. The whole role × department × action matrix is tested in
 * tests/domain/access.test.ts.
 *
 * - public (no actor): reads published notices only.
 * - admin, system: everything (system is the process itself: seeding, migrations; no API token carries it).
 * - auditor: reads everything, writes nothing.
 * - inspector: reads registers and notices, writes nothing in registers.
 * - operator, principal: write registers only for their own department (a target's
 *   jurisdiction, an inspector's department, the item list's department); read registers;
 *   read users of their own department.
 * - department and user management: admin only.
 * - annual plans (PL1): an operator or principal drafts the own department's plan; only a
 *   principal (主要负责人) files it, and only a principal of the department it was filed with
 *   (the parent) acknowledges or returns it (`plan.acknowledge`, resource = the parent).
 *   Every internal role reads plans (drafts included); filed plans are public notices.
 * - evidence (E10): an inspector, operator or principal files evidence for the own department
 *   (a visit's evidence: the department that executes it); every internal role reads it.
 * - results (E5–E7): an inspector, operator or principal of the unit writes (`result.write`;
 *   the results decider then names the one person: the group leader submits, a principal of the
 *   executing unit reviews and corrects); every internal role reads them.
 * - tasks (T1–T4): an operator or principal of the department creates its task
 *   (`task.create`); a principal delegates, accepts a delegation, locks and dispatches
 *   (`task.confirm`, resource = the task's department, or the delegate for acceptance).
 * - check forms (E2/E3): an operator or principal of the item's inspecting body or of the
 *   department keeping the list publishes a template version (`form.publish`); one of the
 *   visit's executing or participating unit chooses a visit's forms by hand (`form.choose`).
 */
export const accessActions = [
  'department.manage',
  'user.manage',
  'user.read',
  'itemList.publish',
  'target.write',
  'specialRegister.write',
  'inspector.write',
  'expert.write',
  'register.read',
  'publicNotice.read',
  'plan.draft',
  'plan.file',
  'plan.acknowledge',
  'plan.read',
  'task.create',
  'task.confirm',
  'task.read',
  // G2: inspections other than random ones (operator/principal record for their department; every internal role reads).
  'nonRandomInspection.record',
  'nonRandomInspection.read',
  // E10/A3: evidence files of the whole-process record — filed by the unit's own staff (inspectors
  // take the photos on site), read by every internal role (auditors included).
  'evidence.write',
  'evidence.read',
  // E2/E3: check form templates — published by the item's inspecting body or the list's keeper;
  // a visit's forms chosen by hand by its executing or participating unit; every internal role reads.
  'form.publish',
  'form.choose',
  'form.read',
  // E5–E7: results of a visit — written by the unit's own staff (the leader submits, a principal
  // signs, staff record objections; src/domain/results decides who exactly), read by every internal role.
  'result.write',
  'result.read',
  // E8/E9/A1: transfers of a visit and follow-ups — staff (operator or principal) of the unit
  // (src/domain/transfers and followups decide who exactly); the upward report is read by every internal role.
  'afterVisit.write',
  'followUp.read',
  'report.read',
  // P3/A1: the assessment statistics with their ledger positions — for those who assess (auditors,
  // principals, admins); the public reads the summary on /public/statistics.
  'stats.read',
] as const;
export type AccessAction = (typeof accessActions)[number];

export interface AccessResource {
  /** The department that owns the resource (jurisdiction). Required for department-scoped actions. */
  readonly department?: string;
}

const departmentScopedWrites: ReadonlySet<AccessAction> = new Set([
  'itemList.publish',
  'target.write',
  'specialRegister.write',
  'inspector.write',
  'expert.write',
  'plan.draft',
  'task.create',
  'nonRandomInspection.record',
  'form.publish',
  'form.choose',
  'afterVisit.write',
]);

/** Department-scoped actions only a principal performs (PL1 filing and its answer). */
const principalWrites: ReadonlySet<AccessAction> = new Set(['plan.file', 'plan.acknowledge', 'task.confirm']);
const internalReads: ReadonlySet<AccessAction> = new Set(['register.read', 'plan.read', 'task.read', 'nonRandomInspection.read', 'evidence.read', 'form.read', 'result.read', 'followUp.read', 'report.read']);
/** Department-scoped writes an inspector makes too: the on-site record is theirs (E1, E10). */
const fieldWrites: ReadonlySet<AccessAction> = new Set(['evidence.write', 'result.write']);

function allowed(actor: Actor | null, action: AccessAction, resource: AccessResource): boolean {
  if (action === 'publicNotice.read') return true;
  if (actor === null) return false;
  if (action === 'stats.read') return ['auditor', 'principal', 'admin', 'system'].includes(actor.role);
  switch (actor.role) {
    case 'admin':
    case 'system':
      return true;
    case 'auditor':
      return internalReads.has(action) || action === 'user.read';
    case 'inspector':
      if (fieldWrites.has(action)) return resource.department !== undefined && resource.department === actor.department;
      return internalReads.has(action);
    case 'operator':
    case 'principal':
      if (internalReads.has(action)) return true;
      if (action === 'user.read' || departmentScopedWrites.has(action) || fieldWrites.has(action) || (actor.role === 'principal' && principalWrites.has(action))) {
        // Fail closed: a scoped action without a department is refused.
        return resource.department !== undefined && resource.department === actor.department;
      }
      return false;
    default: {
      const _exhaustive: never = actor.role;
      return _exhaustive;
    }
  }
}

/** null when allowed; otherwise a FORBIDDEN error naming the rule (L4) and the action. */
export function authorize(actor: Actor | null, action: AccessAction, resource: AccessResource = {}): SuijiError | null {
  if (allowed(actor, action, resource)) return null;
  const dept = resource.department ?? '';
  return new SuijiError(
    'FORBIDDEN',
    { rule: 'L4', action, role: actor?.role ?? 'public', ...(dept ? { department: dept } : {}) },
    {
      zh: `L4：无权执行 ${action}${dept ? `（资源属于部门 ${dept}，谁管辖、谁维护）` : ''}`,
      en: `L4: not allowed to ${action}${dept ? ` (resource belongs to department ${dept}; who has jurisdiction maintains)` : ''}`,
    },
  );
}
