/**
 * Check forms as a use case (E2/E3): reads what the pure deciders need — the item's current list
 * entries, the visit and the templates' latest versions — runs the command and writes its events.
 * Templates are read straight from their streams (a handful of versions per item), so there is no
 * read model to fall behind. Shared by the HTTP routes and the CLI, so both act identically.
 */
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import {
  combinedForm, currentTemplate, formDecider, formStreamId, unknownItem, visitFormDecider, visitFormStreamId,
  type CombinedForm, type FormContent, type FormState, type FormTemplate, type VisitFormChoice,
} from '../../domain/forms/index.js';
import { notFound } from '../../domain/registers/index.js';
import { currentItems } from '../../projections/registers/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { getVisit, type VisitView } from '../../projections/visits/index.js';
import { foldStream, handleCommand } from '../../store/handle-command.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';

export interface FormServiceDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
}

export interface FormWriteResult {
  readonly streamId: string;
  /** The version published (publish) or null (a visit's choice). */
  readonly version: number | null;
  readonly events: string[];
  readonly position: number | null;
  readonly replayed: boolean;
}

export interface VisitForm extends CombinedForm {
  readonly visitId: string;
  /** automatic: every item's current version; manual: the versions chosen by hand (E2). */
  readonly source: 'automatic' | 'manual';
  /** The manual choice's reason; null when automatic. */
  readonly reason: string | null;
  /** Items of the visit with no template published yet: the form cannot cover them. */
  readonly itemsWithoutForm: string[];
}

/** GET /forms/:itemId: the current version and the history, each version with its reason. */
export interface ItemForm {
  readonly itemId: string;
  readonly currentVersion: number | null;
  readonly current: FormTemplate | null;
  readonly versions: { version: number; reason: string }[];
}

const visitNotFound = (visitId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: 'visitId', kind: 'visit', id: visitId }, { zh: `未找到检查（上门）：${visitId}`, en: `visit not found: ${visitId}` });

export class FormService {
  constructor(private readonly deps: FormServiceDeps) {}

  private async formState(itemId: string): Promise<FormState> {
    return foldStream(formDecider, await this.deps.store.readStream(formStreamId(itemId)));
  }

  private async visit(visitId: string): Promise<VisitView> {
    await this.deps.projections.catchUp();
    const v = getVisit(this.deps.projections.db, visitId);
    if (!v) throw visitNotFound(visitId);
    return v;
  }

  /** Every version of the item's template, oldest first; NOT_FOUND when the item is on no current list and has none. */
  async versions(itemId: string): Promise<readonly FormTemplate[]> {
    const s = await this.formState(itemId);
    if (s.versions.length === 0) {
      await this.deps.projections.catchUp();
      const listed = currentItems(this.deps.projections.db).some((i) => i.itemId === itemId);
      if (!listed) throw unknownItem(itemId);
    }
    return s.versions;
  }

  /** The item's form as GET /forms/:itemId and `suiji form show` give it. */
  async itemForm(itemId: string): Promise<ItemForm> {
    const versions = await this.versions(itemId);
    const current = versions[versions.length - 1] ?? null;
    return { itemId, currentVersion: current?.version ?? null, current, versions: versions.map((v) => ({ version: v.version, reason: v.reason })) };
  }

  /** One version of the item's form; NOT_FOUND when it was never published. */
  async version(itemId: string, version: number): Promise<FormTemplate> {
    const v = (await this.versions(itemId)).find((t) => t.version === version);
    if (!v) throw notFound('检查表版本 form version', `${itemId}/${version}`);
    return v;
  }

  private async run(
    streamId: string,
    commandId: string,
    handle: () => Promise<Awaited<ReturnType<typeof handleCommand>>>,
    versionOf: (events: readonly { payload: unknown }[]) => number | null,
  ): Promise<FormWriteResult> {
    const replay = (recorded: readonly RecordedEvent[]): FormWriteResult | null => {
      const prior = recorded.filter((e) => e.correlationId === commandId);
      const last = prior[prior.length - 1];
      return last ? { streamId, version: versionOf(prior), events: prior.map((e) => e.type), position: last.position, replayed: true } : null;
    };
    const before = replay(await this.deps.store.readStream(streamId));
    if (before) return before;
    try {
      const handled = await handle();
      return { streamId, version: versionOf(handled.events), events: handled.events.map((e) => e.type), position: handled.appended?.position ?? null, replayed: handled.appended?.replayed === true };
    } catch (e) {
      const won = replay(await this.deps.store.readStream(streamId));
      if (won) return won;
      throw e;
    }
  }

  /** E2/E3: publish the next version of the item's template; refusals write nothing. */
  async publish(meta: CommandMetadata, itemId: string, content: FormContent): Promise<FormWriteResult> {
    await this.deps.projections.catchUp();
    const entries = currentItems(this.deps.projections.db)
      .filter((i) => i.itemId === itemId)
      .map((i) => ({ listDepartment: i.departmentId, inspectingBody: i.inspectingBody }));
    const streamId = formStreamId(itemId);
    return this.run(
      streamId,
      meta.commandId,
      () => handleCommand(this.deps.store, { streamId, decider: formDecider, command: { type: 'PublishFormVersion', data: { itemId, content, context: { entries } }, metadata: meta } }),
      (events) => {
        const p = events[0]?.payload as { version?: number } | undefined;
        return p?.version ?? null;
      },
    );
  }

  private async latestVersions(items: readonly string[]): Promise<{ latest: Record<string, number>; current: FormTemplate[]; states: Map<string, FormState> }> {
    const latest: Record<string, number> = {};
    const current: FormTemplate[] = [];
    const states = new Map<string, FormState>();
    for (const itemId of items) {
      const s = await this.formState(itemId);
      states.set(itemId, s);
      const t = currentTemplate(s);
      if (t) {
        latest[itemId] = t.version;
        current.push(t);
      }
    }
    return { latest, current, states };
  }

  /** E2: choose the visit's template versions by hand, with a reason. */
  async choose(meta: CommandMetadata, visitId: string, choice: VisitFormChoice): Promise<FormWriteResult> {
    const v = await this.visit(visitId);
    const { latest } = await this.latestVersions(v.items);
    const context = { items: v.items, departments: [v.executingUnit, ...v.participants], latestVersions: latest };
    const streamId = visitFormStreamId(visitId);
    return this.run(
      streamId,
      meta.commandId,
      () => handleCommand(this.deps.store, { streamId, decider: visitFormDecider, command: { type: 'ChooseVisitForm', data: { visitId, choice, context }, metadata: meta } }),
      () => null,
    );
  }

  /** E2 一对象一表单: the visit's one form — the manual choice when made, else every item's current version. */
  async visitForm(visitId: string): Promise<VisitForm> {
    const v = await this.visit(visitId);
    const { current, states } = await this.latestVersions(v.items);
    const chosen = foldStream(visitFormDecider, await this.deps.store.readStream(visitFormStreamId(visitId))).chosen;
    const templates = chosen
      ? chosen.forms.flatMap((f) => states.get(f.itemId)?.versions.filter((t) => t.version === f.version) ?? [])
      : current;
    const form = combinedForm(templates, v.items);
    const covered = new Set(form.forms.map((f) => f.itemId));
    return { visitId, source: chosen ? 'manual' : 'automatic', reason: chosen?.reason ?? null, itemsWithoutForm: v.items.filter((i) => !covered.has(i)), ...form };
  }
}
