/**
 * Inspections other than random ones as a use case (G2): reads which targets are registered,
 * runs the pure decider and writes its one event in the inspection's own stream. It never
 * touches a draw or a PL5 count stream: that is how such an inspection stays out of the
 * lottery and the yearly cap. Shared by the HTTP routes and anything else that records them.
 */
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import {
  nonRandomInspectionDecider, nonRandomInspectionStreamId, type NonRandomInspectionRequest,
} from '../../domain/nonrandom-inspections/index.js';
import { getNonRandomInspection, type NonRandomInspectionView } from '../../projections/nonrandom-inspections/index.js';
import { departmentParents, getTarget } from '../../projections/registers/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { handleCommand } from '../../store/handle-command.js';
import type { EventStore } from '../../store/port.js';

export interface NonRandomWriteResult {
  readonly inspectionId: string;
  readonly streamId: string;
  /** Ledger position of the record. */
  readonly position: number;
  /** true when an Idempotency-Key matched a record already written: nothing new was written. */
  readonly replayed: boolean;
}

export class NonRandomInspectionService {
  constructor(private readonly deps: { readonly store: EventStore; readonly projections: ProjectionRunner }) {}

  async record(meta: CommandMetadata, request: NonRandomInspectionRequest): Promise<NonRandomWriteResult> {
    const streamId = nonRandomInspectionStreamId(request.inspectionId);
    const replay = async (): Promise<NonRandomWriteResult | null> => {
      const prior = (await this.deps.store.readStream(streamId)).find((e) => e.correlationId === meta.commandId);
      return prior ? { inspectionId: request.inspectionId, streamId, position: prior.position, replayed: true } : null;
    };
    const before = await replay();
    if (before) return before;
    // The register as of now: a target registered a moment ago is known.
    await this.deps.projections.catchUp();
    const db = this.deps.projections.db;
    const registered = request.targets.filter((t) => getTarget(db, t) !== undefined);
    let handled: Awaited<ReturnType<typeof handleCommand>>;
    try {
      handled = await handleCommand(this.deps.store, {
        streamId,
        decider: nonRandomInspectionDecider,
        command: { type: 'RecordNonRandomInspection', data: { request, context: { registered, departmentRegistered: departmentParents(db).has(request.department) } }, metadata: meta },
      });
    } catch (e) {
      // Two requests with one key at once: the loser answers the winner's record.
      const won = await replay();
      if (won) return won;
      throw e;
    }
    return { inspectionId: request.inspectionId, streamId, position: handled.appended?.position ?? -1, replayed: handled.appended?.replayed === true };
  }

  /** From the read model as it is: the HTTP reads freshen it first (docs/api.md §5). */
  get(inspectionId: string): NonRandomInspectionView {
    const v = getNonRandomInspection(this.deps.projections.db, inspectionId);
    if (!v) {
      throw new SuijiError('NOT_FOUND', { field: '/inspectionId', rule: 'G2', kind: 'nonRandomInspection', id: inspectionId }, {
        zh: `未找到双随机以外的检查记录：${inspectionId}`,
        en: `non-random inspection not found: ${inspectionId}`,
      });
    }
    return v;
  }
}
