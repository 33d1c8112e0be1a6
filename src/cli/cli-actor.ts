import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { CommandMetadata } from '../domain/decider.js';

/**
 * Commands run from the CLI act as `system` on behalf of the person at the console; the OS
 * user name is recorded so the audit trail (P1) still says who ran it.
 */
export function cliMetadata(department = 'system'): CommandMetadata {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep 'unknown'.
  }
  return { actor: { userId: `cli:${who}`, role: 'system', department }, now: new Date().toISOString(), commandId: randomUUID() };
}
