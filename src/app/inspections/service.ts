/**
 * The on-site record as use cases (E1, E4, A3, E10): read the facts the decider needs — the
 * visit's group from the visits read model, which evidence hashes have an `EvidenceStored`
 * event — then decide and append on `inspection-<visitId>` with the expected revision.
 */
import type { CommandMetadata } from '../../domain/decider.js';
import { evidenceStreamId } from '../../domain/evidence/index.js';
import {
  inspectionDecider, inspectionStreamId, type InspectionCommand, type InspectionState, type VisitFacts,
} from '../../domain/inspections/index.js';
import { activeInspectors } from '../../projections/registers/index.js';
import { getVisit } from '../../projections/visits/index.js';
import { FormService } from '../forms/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, handleCommand } from '../../store/handle-command.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';
import type { OnSiteRequest, PreCheckRequest, TargetAnswerRequest } from './requests.js';

export interface InspectionDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
}

export interface InspectionWriteResult {
  readonly visitId: string;
  /** Event types appended, in order; [] for a no-op (a repeated signature). */
  readonly events: string[];
  readonly position: number | null;
  /** true when this command id was already recorded: nothing new was written. */
  readonly replayed: boolean;
}

export interface InspectionView {
  readonly visitId: string;
  readonly state: InspectionState;
  /** A3: every event with the user whose token wrote it. */
  readonly events: { readonly position: number; readonly type: string; readonly actor: string; readonly recordedAt: string; readonly payload: unknown }[];
}

type Data<T extends InspectionCommand['type']> = Omit<Extract<InspectionCommand, { type: T }>['data'], 'visit'>;

export class InspectionService {
  constructor(private readonly deps: InspectionDeps) {}

  /** The visit as the read model has it now (its group once every contributor's is recorded), or null. */
  async visit(visitId: string): Promise<VisitFacts | null> {
    await this.deps.projections.catchUp();
    const v = getVisit(this.deps.projections.db, visitId);
    if (!v) return null;
    if (v.status !== 'matched' || !v.group) return { visitId: v.visitId, uscc: v.uscc, items: v.items, group: null };
    // G3/E1: only members who are still active inspectors act; one who left the post (or was
    // deactivated) writes nothing more, as a lost role ends a token — until a T10 replacement.
    const active = activeInspectors(this.deps.projections.db, v.group.members);
    const leader = v.group.leader !== null && active.has(v.group.leader) ? v.group.leader : null;
    return { visitId: v.visitId, uscc: v.uscc, items: v.items, group: { leader, members: v.group.members.filter((m) => active.has(m)) } };
  }

  async read(visitId: string): Promise<InspectionView> {
    const recorded = await this.deps.store.readStream(inspectionStreamId(visitId));
    return {
      visitId,
      state: foldStream(inspectionDecider, recorded),
      events: recorded.map((e) => ({ position: e.position, type: e.type, actor: e.actor.userId, recordedAt: e.recordedAt, payload: e.payload })),
    };
  }

  preCheck(meta: CommandMetadata, visitId: string, body: PreCheckRequest): Promise<InspectionWriteResult> {
    return this.run(meta, visitId, 'RecordPreCheck', async () => ({ preCheck: body }));
  }

  onSite(meta: CommandMetadata, visitId: string, body: OnSiteRequest): Promise<InspectionWriteResult> {
    return this.run(meta, visitId, 'RecordOnSite', async (visit) => ({
      onSite: body,
      ...(await this.stored(body.evidence)),
      // E2: the visit's one form (manual choice or automatic); read only for a visit that exists.
      questions: visit ? (await new FormService(this.deps).visitForm(visitId)).questions : [],
    }));
  }

  targetAnswer(meta: CommandMetadata, visitId: string, body: TargetAnswerRequest): Promise<InspectionWriteResult> {
    return this.run(meta, visitId, 'RecordTargetAnswer', async () => ({ answer: body }));
  }

  sign(meta: CommandMetadata, visitId: string): Promise<InspectionWriteResult> {
    return this.run(meta, visitId, 'SignInspection', async () => ({}));
  }

  close(meta: CommandMetadata, visitId: string): Promise<InspectionWriteResult> {
    return this.run(meta, visitId, 'CloseInspection', async () => ({}));
  }

  /** E10: the hashes that have an EvidenceStored event (its stream exists), and those stored as an image (E4 photos). */
  private async stored(hashes: readonly string[]): Promise<{ stored: string[]; photos: string[] }> {
    const stored: string[] = [];
    const photos: string[] = [];
    for (const h of hashes) {
      const recorded = (await this.deps.store.readStream(evidenceStreamId(h))).filter((e) => e.type === 'EvidenceStored');
      if (recorded.length === 0) continue;
      stored.push(h);
      if (recorded.some((e) => String((e.payload as { mime?: unknown }).mime).startsWith('image/'))) photos.push(h);
    }
    return { stored, photos };
  }

  private async run<T extends InspectionCommand['type']>(meta: CommandMetadata, visitId: string, type: T, data: (visit: VisitFacts | null) => Promise<Data<T>>): Promise<InspectionWriteResult> {
    const streamId = inspectionStreamId(visitId);
    const prior = (await this.deps.store.readStream(streamId)).filter((e: RecordedEvent) => e.correlationId === meta.commandId);
    if (prior.length > 0) return { visitId, events: prior.map((e) => e.type), position: prior[0]!.position, replayed: true };
    const visit = await this.visit(visitId);
    const command = { type, data: { visit, ...(await data(visit)) }, metadata: meta } as InspectionCommand;
    const handled = await handleCommand(this.deps.store, { streamId, decider: inspectionDecider, command });
    return { visitId, events: handled.events.map((e) => e.type), position: handled.appended ? handled.appended.position - handled.events.length + 1 : null, replayed: false };
  }
}
