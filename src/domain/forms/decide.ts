/** Publishing a template version (E2/E3) and choosing a visit's forms by hand (E2): pure. */
import type { FromSchema } from 'json-schema-to-ts';
import { authorize, type AccessAction } from '../access.js';
import type { Command, CommandMetadata, Decider } from '../decider.js';
import { SuijiError } from '../errors.js';
import { invalid } from '../registers/guard.js';
import { checkMethods, checkQuestions, sameContent } from './checks.js';
import {
  currentTemplate, evolveForm, evolveVisitForm, initialFormState, initialVisitFormState,
  type FormEvent, type FormState, type VisitFormEvent, type VisitFormState,
} from './events.js';
import type { formContentSchema, visitFormChoiceSchema } from './schemas.js';

export type FormContent = FromSchema<typeof formContentSchema>;
export type VisitFormChoice = FromSchema<typeof visitFormChoiceSchema>;

/** Read by the application service from the current item lists, never sent by a client. */
export interface FormItemContext {
  /** Every current list entry of the item: the list's department and the item's inspecting body. */
  readonly entries: readonly { readonly listDepartment: string; readonly inspectingBody: string }[];
}

/** Read by the application service from the visit and the templates, never sent by a client. */
export interface VisitFormContext {
  readonly items: readonly string[];
  /** The executing unit and the joint participants: the departments that inspect the target. */
  readonly departments: readonly string[];
  /** itemId → the latest published version (versions 1..n exist); absent when none is. */
  readonly latestVersions: Readonly<Record<string, number>>;
}

export type PublishFormVersion = Command<'PublishFormVersion', { readonly itemId: string; readonly content: FormContent; readonly context: FormItemContext }>;
export type ChooseVisitForm = Command<'ChooseVisitForm', { readonly visitId: string; readonly choice: VisitFormChoice; readonly context: VisitFormContext }>;

export const unknownItem = (itemId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/itemId', rule: 'E2', kind: 'item', id: itemId }, {
    zh: `E2：事项不在现行抽查事项清单上：${itemId}`,
    en: `E2: the item is not on any current item list: ${itemId}`,
  });

/** Allowed when the actor may `action` for any one of `departments` (role first, then department). */
function allowedForAny(meta: CommandMetadata, action: AccessAction, departments: readonly string[]): SuijiError | null {
  const roleDenied = authorize(meta.actor, action, { department: meta.actor.department });
  if (roleDenied) return roleDenied;
  if (departments.some((d) => authorize(meta.actor, action, { department: d }) === null)) return null;
  return authorize(meta.actor, action, { department: departments[0] ?? '' });
}

export function decideForm(command: PublishFormVersion, state: FormState): readonly FormEvent[] | SuijiError {
  const { itemId, content, context } = command.data;
  if (context.entries.length === 0) {
    // Role before existence, so an outsider learns nothing about the lists.
    return authorize(command.metadata.actor, 'form.publish', { department: command.metadata.actor.department }) ?? unknownItem(itemId);
  }
  // The inspecting body (检查主体) or the bureau that keeps the list (L3 谁管辖、谁维护).
  const depts = [...new Set(context.entries.flatMap((e) => [e.inspectingBody, e.listDepartment]))];
  const denied = allowedForAny(command.metadata, 'form.publish', depts);
  if (denied) return denied;
  const bad = checkQuestions(content.questions) ?? checkMethods(content.methods);
  if (bad) return bad;
  const current = currentTemplate(state);
  // Publishing the current content again is a no-op, so a retried publish adds nothing.
  if (current && sameContent(current, content)) return [];
  return [{ type: 'FormVersionPublished', payload: { itemId, version: (current?.version ?? 0) + 1, ...content } }];
}

export function decideVisitForm(command: ChooseVisitForm, state: VisitFormState): readonly VisitFormEvent[] | SuijiError {
  const { visitId, choice, context } = command.data;
  const denied = allowedForAny(command.metadata, 'form.choose', context.departments);
  if (denied) return denied;
  if (choice.reason.trim() === '') return invalid('/reason', '手动选择检查表须说明理由', 'a manual choice of forms needs a reason', 'E2');
  const seen = new Set<string>();
  for (const [i, f] of choice.forms.entries()) {
    if (!context.items.includes(f.itemId)) {
      return invalid(`/forms/${i}/itemId`, `事项 ${f.itemId} 不是本次检查的事项`, `item ${f.itemId} is not an item of this visit`, 'E2');
    }
    if (seen.has(f.itemId)) return invalid(`/forms/${i}/itemId`, `事项 ${f.itemId} 选择了两次`, `item ${f.itemId} is chosen twice`, 'E2');
    seen.add(f.itemId);
    const latest = context.latestVersions[f.itemId];
    if (latest === undefined || f.version > latest) {
      return invalid(`/forms/${i}/version`, `事项 ${f.itemId} 没有第 ${f.version} 版检查表`, `item ${f.itemId} has no form version ${f.version}`, 'E2');
    }
  }
  // 一对象一表单: the one form covers every item of the visit that has a template.
  const missing = context.items.filter((i) => context.latestVersions[i] !== undefined && !seen.has(i));
  if (missing.length > 0) {
    return invalid('/forms', `须为本次检查的每个事项选择检查表：${missing.join('、')}`, `choose a form for every item of the visit: ${missing.join(', ')}`, 'E2');
  }
  const forms = [...choice.forms].sort((a, b) => context.items.indexOf(a.itemId) - context.items.indexOf(b.itemId));
  if (state.chosen && JSON.stringify(state.chosen.forms) === JSON.stringify(forms) && state.chosen.reason === choice.reason) return [];
  return [{ type: 'VisitFormChosen', payload: { visitId, forms, reason: choice.reason } }];
}

export const formDecider: Decider<PublishFormVersion, FormEvent, FormState> = { initialState: initialFormState, decide: decideForm, evolve: evolveForm };
export const visitFormDecider: Decider<ChooseVisitForm, VisitFormEvent, VisitFormState> = {
  initialState: initialVisitFormState,
  decide: decideVisitForm,
  evolve: evolveVisitForm,
};
