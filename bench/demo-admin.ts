import { randomUUID } from 'node:crypto';
import { mintToken } from '../src/api/tokens.js';
import { generateDemo, planDemoWrites, yiyuan } from '../src/cli/demo/index.js';
import { tokenDecider, tokenStreamId } from '../src/domain/tokens/index.js';
import { handleCommand } from '../src/store/handle-command.js';
import type { EventStore } from '../src/store/port.js';

/**
 * Writes the demo organisation (no targets) and issues a token for its admin; returns the
 * Authorization header value. The admin must be the demo's registered one: since issue 7 a token
 * of an unregistered user is refused (G3).
 */
export async function seedDemoAdmin(store: EventStore): Promise<string> {
  await store.appendMulti(planDemoWrites(generateDemo({ seed: 370323, targets: 0 }).commands));
  const t = mintToken();
  const admin = { userId: 'yy-admin', role: 'admin', department: yiyuan.BUREAU } as const;
  await handleCommand(store, {
    streamId: tokenStreamId(t.tokenId),
    decider: tokenDecider,
    command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId: admin.userId, role: admin.role, department: admin.department, secretHash: t.secretHash }, metadata: { actor: admin, now: new Date().toISOString(), commandId: randomUUID() } },
  });
  return `Bearer ${t.token}`;
}
