/**
 * E8 transfers as use cases: read the visit (with any accepted transfer overlaid), whether it was
 * executed already, the departments and the receiving unit's inspectors; decide on `transfer-<visitId>`.
 */
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { resultStreamId } from '../../domain/results/index.js';
import { transferDecider, transferStreamId, type TransferCommand, type TransferState, type TransferVisitFacts } from '../../domain/transfers/index.js';
import { listDepartments, queryInspectors } from '../../projections/registers/index.js';
import { getVisit } from '../../projections/visits/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, toNewEvents } from '../../store/handle-command.js';
import type { EventStore } from '../../store/port.js';
import { RECORD_CLOSED, inspectionStreamId } from '../results/index.js';

export interface TransferWriteResult {
  visitId: string;
  streamId: string;
  events: string[];
  position: number | null;
  replayed: boolean;
}

const MAX_RETRIES = 3;

export class TransferService {
  constructor(private readonly deps: { readonly store: EventStore; readonly projections: ProjectionRunner }) {}

  private async facts(visitId: string): Promise<TransferVisitFacts> {
    await this.deps.projections.catchUp();
    const v = getVisit(this.deps.projections.db, visitId);
    if (!v) throw new SuijiError('NOT_FOUND', { field: '/visitId', kind: 'visit', visitId }, { zh: `未找到检查：${visitId}`, en: `visit not found: ${visitId}` });
    const closed = (await this.deps.store.readStream(inspectionStreamId(visitId))).some((e) => e.type === RECORD_CLOSED);
    const results = (await this.deps.store.streamRevision(resultStreamId(visitId))) >= 0;
    return { visitId, uscc: v.uscc, executingUnit: v.executingUnit, executed: closed || results };
  }

  async state(visitId: string): Promise<TransferState> {
    return foldStream(transferDecider, await this.deps.store.readStream(transferStreamId(visitId)));
  }

  async propose(meta: CommandMetadata, visitId: string, body: { toUnit: string; reason: string }): Promise<TransferWriteResult> {
    const visit = await this.facts(visitId);
    const toUnitExists = listDepartments(this.deps.projections.db).some((d) => d.departmentId === body.toUnit);
    return this.run({ type: 'ProposeTransfer', data: { visit, toUnitExists, ...body }, metadata: meta });
  }

  async accept(meta: CommandMetadata, visitId: string, body: { leader: string; members: string[] }): Promise<TransferWriteResult> {
    const visit = await this.facts(visitId);
    const state = await this.state(visitId);
    const toUnit = state.status === 'none' ? null : state.toUnit;
    const inspectorsOfToUnit = toUnit === null ? [] : queryInspectors(this.deps.projections.db, { department: [toUnit], status: ['active'] }).map((i) => i.inspectorId);
    return this.run({ type: 'AcceptTransfer', data: { visit, inspectorsOfToUnit, ...body }, metadata: meta });
  }

  private async run(command: TransferCommand): Promise<TransferWriteResult> {
    const visitId = command.data.visit.visitId;
    const streamId = transferStreamId(visitId);
    for (let attempt = 0; ; attempt++) {
      const recorded = await this.deps.store.readStream(streamId);
      const prior = recorded.filter((e) => e.correlationId === command.metadata.commandId);
      if (prior.length > 0) return { visitId, streamId, events: prior.map((e) => e.type), position: prior[0]!.position, replayed: true };
      const decided = transferDecider.decide(command, foldStream(transferDecider, recorded));
      if (decided instanceof SuijiError) throw decided;
      try {
        const r = await this.deps.store.append(streamId, toNewEvents(command, decided), recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision);
        return { visitId, streamId, events: decided.map((e) => e.type), position: r.position, replayed: r.replayed === true };
      } catch (e) {
        if (!(e instanceof SuijiError) || e.code !== 'WRONG_EXPECTED_REVISION' || attempt >= MAX_RETRIES) throw e;
      }
    }
  }
}
