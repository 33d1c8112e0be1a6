import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Actor } from '../domain/actor.js';
import type { CommandMetadata } from '../domain/decider.js';
import { SuijiError } from '../domain/errors.js';
import { userStreamId } from '../domain/registers/index.js';
import { userStandingFromStream } from '../domain/tokens/index.js';
import type { EventStore } from '../store/port.js';

/** The OS account at the console; 'unknown' without a passwd entry (some containers). */
export function osUser(): string {
  try {
    // Kept to id characters so the command id stays a plain token (the store allows 200 characters).
    return userInfo().username.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 64) || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Command id of a CLI write: `cli:<os user>:<uuid>`. The actor recorded on an event has exactly
 * three members (userId, role, department; src/store/prepare.ts), so the OS account goes where
 * the API puts the idempotency key's owner (`idem:<user>:<key>`): the command id, recorded as
 * every event's correlation and causation id. The audit trail (P1) thus says both which
 * registered user acted and from which console account.
 */
export const cliCommandId = (): string => `cli:${osUser()}:${randomUUID()}`;

/**
 * The process itself, for the only writes that are no one's: `demo seed` and the first admin
 * bootstrap (`token create` while no admin is registered). The command id still names the
 * console account.
 */
export function cliMetadata(department = 'system'): CommandMetadata {
  return { actor: { userId: `cli:${osUser()}`, role: 'system', department }, now: new Date().toISOString(), commandId: cliCommandId() };
}

/** `--user`, else `SUIJI_USER` (documented in README: the flag wins); empty counts as absent. */
export function actingUserId(flag: string | undefined): string | undefined {
  const id = flag ?? process.env.SUIJI_USER;
  return id === undefined || id === '' ? undefined : id;
}

export const userRequired = (flag = '--user'): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field: flag, reason: 'USER_REQUIRED' }, {
    zh: `写操作须以登记用户的身份执行：请给出 ${flag} 用户编号（或设置环境变量 SUIJI_USER）`,
    en: `a write acts as a registered user: give ${flag} USER_ID (or set SUIJI_USER)`,
  });

/**
 * G3 for the console: the actor is the registered user's CURRENT role and department, read from
 * the user's stream in the ledger (not a read model, as for tokens), so the CLI is held to the
 * same access rules as HTTP. An unregistered or deactivated user is refused.
 */
export async function registeredActor(store: EventStore, userId: string, flag = '--user'): Promise<Actor> {
  const standing = userStandingFromStream(await store.readStream(userStreamId(userId)));
  if (standing === null)
    throw new SuijiError('UNAUTHENTICATED', { field: flag, rule: 'G3', reason: 'userUnregistered', userId }, { zh: `G3：用户 ${userId} 未登记`, en: `G3: user ${userId} is not registered` });
  if (!standing.active)
    throw new SuijiError('UNAUTHENTICATED', { field: flag, rule: 'G3', reason: 'userDeactivated', userId }, { zh: `G3：用户 ${userId} 已停用`, en: `G3: user ${userId} is deactivated` });
  return { userId, role: standing.role, department: standing.department };
}

/**
 * Metadata of a CLI write by `--user` (or SUIJI_USER). `department`, when given (the old
 * `--department` of draw and import commands), must be the user's registered department: it
 * can no longer choose whom the command acts for.
 */
export async function userMetadata(store: EventStore, flag: string | undefined, department?: string): Promise<CommandMetadata> {
  const userId = actingUserId(flag);
  if (userId === undefined) throw userRequired();
  const actor = await registeredActor(store, userId);
  if (department !== undefined && department !== actor.department)
    throw new SuijiError('VALIDATION_FAILED', { field: '--department', value: department, registered: actor.department }, {
      zh: `--department 必须是用户 ${userId} 登记的部门（${actor.department}）`,
      en: `--department must be the department user ${userId} is registered in (${actor.department})`,
    });
  return { actor, now: new Date().toISOString(), commandId: cliCommandId() };
}
