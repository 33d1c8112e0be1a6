/** Drafting, filing, acknowledging and returning a plan version (PL1–PL4): pure, time and actor from the metadata. */
import type { FromSchema } from 'json-schema-to-ts';
import { authorize } from '../access.js';
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import { guard, sameValue } from '../registers/guard.js';
import { checkPlanItems, diffPlans, uncoveredItems, type PlanContext } from './checks.js';
import { evolvePlan, inForceVersion, initialPlanState, latestVersion, type PlanEvent, type PlanState, type PlanVersion } from './events.js';
import type { planDraftSchema } from './schemas.js';

export type PlanDraft = FromSchema<typeof planDraftSchema>;
export interface PlanVersionKey {
  readonly departmentId: string;
  readonly year: number;
  readonly version: number;
}

/** `context` is read by the application service, never sent by a client. */
export type SavePlanDraft = Command<'SavePlanDraft', { readonly draft: PlanDraft; readonly context: PlanContext }>;
export type FilePlan = Command<'FilePlan', PlanVersionKey & { readonly context: PlanContext }>;
export type AcknowledgePlan = Command<'AcknowledgePlan', PlanVersionKey>;
export type ReturnPlan = Command<'ReturnPlan', PlanVersionKey & { readonly reason: string }>;
export type PlanCommand = SavePlanDraft | FilePlan | AcknowledgePlan | ReturnPlan;

const stateError = (zh: string, en: string, details: Record<string, unknown>): SuijiError => ruleViolation('PL1', zh, en, { field: '/version', ...details });

const versionNotFound = (k: PlanVersionKey): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/version', kind: 'planVersion', ...k }, {
    zh: `未找到部门 ${k.departmentId} ${k.year} 年度计划第 ${k.version} 版`,
    en: `plan of ${k.departmentId} for ${k.year}, version ${k.version}, not found`,
  });

/** The filed version awaiting its parent's answer, which acknowledge and return act on. */
function pendingFiling(state: PlanState, k: PlanVersionKey): { version: PlanVersion; parent: string } | SuijiError {
  const v = state.versions.find((x) => x.version === k.version);
  if (!v) return versionNotFound(k);
  if (v.status !== 'filed' || !v.filing) {
    return stateError(`第 ${k.version} 版的状态为 ${v.status}，不是待确认的备案`, `version ${k.version} is ${v.status}, not a filing awaiting an answer`, { status: v.status });
  }
  if (v.filing.filedWith === null) {
    return stateError('根部门的计划不向任何部门备案，无需上级确认', 'the root department files with nobody: there is no parent to answer', { filedWith: null });
  }
  return { version: v, parent: v.filing.filedWith };
}

export function decidePlan(command: PlanCommand, state: PlanState): readonly PlanEvent[] | SuijiError {
  const meta = command.metadata;
  switch (command.type) {
    case 'SavePlanDraft': {
      const { draft, context } = command.data;
      const denied = guard(meta, 'plan.draft', draft.departmentId);
      if (denied) return denied;
      const latest = latestVersion(state);
      if (latest?.status === 'filed' && latest.filing?.filedWith !== null) {
        return stateError(
          `第 ${latest.version} 版已向上级部门备案，待其确认或退回后才能起草调整`,
          `version ${latest.version} is filed with the parent department: draft an adjustment once it is acknowledged or returned`,
          { status: latest.status },
        );
      }
      const bad = checkPlanItems(draft.items, draft.year, context, draft.departmentId);
      if (bad) return bad;
      const editing = latest?.status === 'draft' ? latest : undefined;
      // Saving the same draft again is a no-op, so a retried save adds nothing.
      if (editing && sameValue(editing.items, draft.items) && editing.reason === draft.reason) return [];
      const version = editing ? editing.version : (latest?.version ?? 0) + 1;
      return [{ type: 'PlanDraftSaved', payload: { ...draft, version } }];
    }
    case 'FilePlan': {
      const { departmentId, year, version, context } = command.data;
      const denied = guard(meta, 'plan.file', departmentId);
      if (denied) return denied;
      const latest = latestVersion(state);
      if (!latest || latest.version !== version) return versionNotFound({ departmentId, year, version });
      if (latest.status !== 'draft') {
        return stateError(`第 ${version} 版的状态为 ${latest.status}，只有草稿可以备案`, `version ${version} is ${latest.status}: only a draft can be filed`, { status: latest.status });
      }
      const bad = checkPlanItems(latest.items, year, context, departmentId);
      if (bad) return bad;
      const missing = uncoveredItems(latest.items, context);
      if (missing.length > 0) {
        return ruleViolation('PL2', `计划未覆盖本部门现行清单上的事项：${missing.join('、')}`, `the plan does not cover these items of the department's current list: ${missing.join(', ')}`, {
          field: '/items',
          uncoveredItems: missing,
        });
      }
      const d = diffPlans(inForceVersion(state)?.items ?? [], latest.items);
      const ids = (xs: readonly { itemId: string }[]): string[] => xs.map((x) => x.itemId);
      return [
        {
          type: 'PlanVersionFiled',
          payload: {
            departmentId,
            year,
            version,
            filedWith: context.parentDepartment,
            listBasis: [...context.listBasis].sort((a, b) => (a.departmentId < b.departmentId ? -1 : a.departmentId > b.departmentId ? 1 : 0)),
            coveredItems: context.items.map((i) => i.itemId).sort(),
            changes: { added: ids(d.added), changed: d.changed.map((c) => c.itemId), removed: ids(d.removed) },
          },
        },
      ];
    }
    case 'AcknowledgePlan':
    case 'ReturnPlan': {
      // Role first (before anything about the stream is told), then the parent's department.
      const roleDenied = authorize(meta.actor, 'plan.acknowledge', { department: meta.actor.department });
      if (roleDenied) return roleDenied;
      const pending = pendingFiling(state, command.data);
      if (pending instanceof SuijiError) {
        // Answering twice with the same answer is a no-op (a retried request).
        const v = state.versions.find((x) => x.version === command.data.version);
        if (v && ((command.type === 'AcknowledgePlan' && v.status === 'acknowledged') || (command.type === 'ReturnPlan' && v.status === 'returned'))) {
          const again = guard(meta, 'plan.acknowledge', v.filing?.filedWith ?? '');
          return again ?? [];
        }
        return pending;
      }
      const denied = guard(meta, 'plan.acknowledge', pending.parent);
      if (denied) return denied;
      const { departmentId, year, version } = command.data;
      return command.type === 'AcknowledgePlan'
        ? [{ type: 'PlanVersionAcknowledged', payload: { departmentId, year, version } }]
        : [{ type: 'PlanVersionReturned', payload: { departmentId, year, version, reason: command.data.reason } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  initialState: initialPlanState,
  decide: decidePlan,
  evolve: evolvePlan,
};
