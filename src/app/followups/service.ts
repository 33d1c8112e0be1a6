/**
 * E9 follow-ups as use cases: the linked result is read from `result-<visitId>` (its categories
 * as they stand: the latest correction, else the approved round), the decision is made on
 * `followup-<followUpId>`.
 */
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { followUpDecider, followUpId, followUpStreamId, type FollowUpCommand, type FollowUpKind, type PublishedResultFacts } from '../../domain/followups/index.js';
import { resultDecider, resultStreamId } from '../../domain/results/index.js';
import { listFollowUps, type FollowUpView } from '../../projections/followups/index.js';
import { getVisit } from '../../projections/visits/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, toNewEvents } from '../../store/handle-command.js';
import type { EventStore } from '../../store/port.js';

export interface FollowUpWriteResult {
  followUpId: string;
  streamId: string;
  events: string[];
  position: number | null;
  replayed: boolean;
}

const MAX_RETRIES = 3;

export class FollowUpService {
  constructor(private readonly deps: { readonly store: EventStore; readonly projections: ProjectionRunner }) {}

  private async result(visitId: string): Promise<PublishedResultFacts> {
    await this.deps.projections.catchUp();
    const v = getVisit(this.deps.projections.db, visitId);
    if (!v) throw new SuijiError('NOT_FOUND', { field: '/visitId', kind: 'visit', visitId }, { zh: `未找到检查：${visitId}`, en: `visit not found: ${visitId}` });
    const s = foldStream(resultDecider, await this.deps.store.readStream(resultStreamId(visitId)));
    const approved = s.exists && s.approval !== null;
    const current = s.exists ? (s.corrections.at(-1)?.results ?? s.results) : [];
    return { visitId, executingUnit: v.executingUnit, approved, categories: Object.fromEntries(current.map((r) => [r.itemId, r.category])) };
  }

  async open(meta: CommandMetadata, body: { visitId: string; itemId: string; kind: FollowUpKind; handledBy?: string; caseNumber?: string; note?: string }): Promise<FollowUpWriteResult> {
    const { visitId, ...rest } = body;
    const result = await this.result(visitId);
    return this.run(followUpId(visitId, body.itemId, body.kind), { type: 'OpenFollowUp', data: { result, ...rest }, metadata: meta });
  }

  async update(meta: CommandMetadata, id: string, body: { status: string; note: string }): Promise<FollowUpWriteResult> {
    return this.run(id, { type: 'UpdateFollowUp', data: body, metadata: meta });
  }

  async close(meta: CommandMetadata, id: string, body: { outcome: string }): Promise<FollowUpWriteResult> {
    return this.run(id, { type: 'CloseFollowUp', data: body, metadata: meta });
  }

  async list(q: { unit?: string; visitId?: string; status?: 'open' | 'closed'; after?: string; limit: number }): Promise<{ items: (Omit<FollowUpView, 'exists' | 'updates'> & { updates: FollowUpView['updates'][number][] })[]; next: string | null }> {
    await this.deps.projections.catchUp();
    const found = listFollowUps(this.deps.projections.db, q);
    const items = found.map(({ exists: _exists, ...f }) => ({ ...f, updates: [...f.updates] }));
    return { items, next: found.length === q.limit ? found[found.length - 1]!.followUpId : null };
  }

  private async run(id: string, command: FollowUpCommand): Promise<FollowUpWriteResult> {
    const streamId = followUpStreamId(id);
    for (let attempt = 0; ; attempt++) {
      const recorded = await this.deps.store.readStream(streamId);
      const prior = recorded.filter((e) => e.correlationId === command.metadata.commandId);
      if (prior.length > 0) return { followUpId: id, streamId, events: prior.map((e) => e.type), position: prior[0]!.position, replayed: true };
      const decided = followUpDecider.decide(command, foldStream(followUpDecider, recorded));
      if (decided instanceof SuijiError) throw decided;
      try {
        const r = await this.deps.store.append(streamId, toNewEvents(command, decided), recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision);
        return { followUpId: id, streamId, events: decided.map((e) => e.type), position: r.position, replayed: r.replayed === true };
      } catch (e) {
        if (!(e instanceof SuijiError) || e.code !== 'WRONG_EXPECTED_REVISION' || attempt >= MAX_RETRIES) throw e;
      }
    }
  }
}
