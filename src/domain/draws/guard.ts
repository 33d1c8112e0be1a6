/** Shared checks of the draw deciders: who may act (G3, T10), which draw is open (V3). */
import { SuijiError, ruleViolation } from '../errors.js';
import type { DrawCommand } from './commands.js';
import { findDraw, openDraw, type DrawEntry, type DrawSlotState } from './state.js';

export const writers = new Set(['operator', 'principal', 'admin', 'system']);
/** T10: a replacement needs approval; the approving principal is the one who commits it. */
export const approvers = new Set(['principal', 'admin', 'system']);

export function forbidden(action: string, rule: string): SuijiError {
  return new SuijiError('FORBIDDEN', { rule, action }, { zh: `${rule}：无权执行 ${action}`, en: `${rule}: not allowed to ${action}` });
}

/** G3: a draw belongs to the committing department; admin and system act for every department. */
export function mayAct(command: DrawCommand, d: DrawEntry | null, action: string): SuijiError | null {
  const a = command.metadata.actor;
  if (!writers.has(a.role)) return forbidden(action, 'G3');
  if (d && a.role !== 'admin' && a.role !== 'system' && a.department !== d.department) return forbidden(action, 'G3');
  return null;
}

export const notFound = (drawId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/drawId', kind: 'draw', drawId }, { zh: `未找到摇号：${drawId}`, en: `draw not found: ${drawId}` });

export function openForChange(state: DrawSlotState, drawId: string): DrawEntry | SuijiError {
  const d = findDraw(state, drawId);
  if (!d) return notFound(drawId);
  if (d.status !== 'committed') {
    return ruleViolation('V3', `摇号 ${drawId} 已${d.status === 'completed' ? '完成' : '废弃'}，不能再更改`, `draw ${drawId} is already ${d.status}`, {
      field: '/drawId',
      reason: 'DRAW_NOT_OPEN',
      status: d.status,
    });
  }
  return d;
}

export const ms = (iso: string): number => Date.parse(iso);

/** V3: the slot must have no open draw; a second commitment while one is open is refused. */
export function slotFree(state: DrawSlotState): SuijiError | null {
  const open = openDraw(state);
  if (!open) return null;
  return ruleViolation('V3', `同一任务同一用途已有未完成的摇号承诺 ${open.drawId}：请先完成或公开废弃`, `an open commitment already exists for this task and purpose: ${open.drawId}; complete or abandon it first`, {
    field: '/task',
    reason: 'DRAW_ALREADY_OPEN',
    openDrawId: open.drawId,
  });
}

export const waiting = (zh: string, en: string, reason: string): SuijiError => ruleViolation('V3', zh, en, { field: '/drawId', reason });
