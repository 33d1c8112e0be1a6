/** The draw slot decider: one stream per task and purpose (docs/draws.md §1). */
import type { Decider } from '../decider.js';
import type { SuijiError } from '../errors.js';
import type { DrawCommand } from './commands.js';
import { commit, commitExtension, commitReplacement } from './commit.js';
import { abandon, complete } from './complete.js';
import { recordCeremony, recordDrand, revealWitness } from './entropy.js';
import type { DrawEvent, DrawPurpose } from './events.js';
import { evolveDrawSlot, initialDrawSlotState, parseDrawId, type DrawSlotState } from './state.js';

/** The slot a command addresses, so the service knows which stream to load. */
export function slotOf(command: DrawCommand): { task: string; purpose: DrawPurpose } | null {
  switch (command.type) {
    case 'CommitDraw':
      return { task: command.data.task, purpose: command.data.input.kind };
    case 'CommitReplacement':
    case 'CommitExtension':
      return { task: command.data.task, purpose: command.data.purpose };
    default: {
      const p = parseDrawId(command.data.drawId);
      return p && { task: p.task, purpose: p.purpose };
    }
  }
}

function decide(command: DrawCommand, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  switch (command.type) {
    case 'CommitDraw':
      return commit(command, state);
    case 'CommitReplacement':
      return commitReplacement(command, state);
    case 'CommitExtension':
      return commitExtension(command, state);
    case 'RevealWitness':
      return revealWitness(command, state);
    case 'RecordDrandBeacon':
      return recordDrand(command, state);
    case 'RecordCeremonyValue':
      return recordCeremony(command, state);
    case 'CompleteDraw':
      return complete(command, state);
    case 'AbandonDraw':
      return abandon(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const drawDecider: Decider<DrawCommand, DrawEvent, DrawSlotState> = {
  initialState: initialDrawSlotState,
  decide,
  evolve: evolveDrawSlot,
};

