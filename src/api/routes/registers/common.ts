import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { authorize, type AccessAction } from '../../../domain/access.js';
import { SuijiError } from '../../../domain/errors.js';
import type { CommandMetadata } from '../../../domain/decider.js';
import { routeRegisterCommand, type RegisterCommand } from '../../../domain/registers/index.js';
import { handleCommand } from '../../../store/handle-command.js';
import { isOwnAppends } from '../../../store/own-appends.js';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../auth.js';

/** The one error shape (src/api/error-handler.ts), declared so OpenAPI shows it and no field leaks. */
export const errorSchema = {
  type: 'object',
  required: ['error', 'message', 'details'],
  additionalProperties: false,
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    messageZh: { type: 'string' },
    messageEn: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;
export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

/** What every register write answers: where its events went (P1: the record is in the ledger). */
export const writeResultSchema = {
  type: 'object',
  required: ['streamId', 'events', 'position', 'revision', 'replayed'],
  additionalProperties: false,
  properties: {
    streamId: { type: 'string' },
    /** Event types appended, in order; [] when the command changed nothing (a no-op). */
    events: { type: 'array', items: { type: 'string' } },
    /** Ledger position of the last event appended; null for a no-op. */
    position: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    /** Stream revision after the append; null for a no-op. */
    revision: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    /** true when an Idempotency-Key matched a command already recorded: nothing new was written. */
    replayed: { type: 'boolean' },
  },
} as const;
export const writeResponses = { 200: writeResultSchema, 201: writeResultSchema, ...errorResponses } as const;

/** A client-chosen key makes a retried write safe (RFC draft "The Idempotency-Key HTTP Header Field"). */
export const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' } },
} as const;

export interface WriteResult {
  readonly streamId: string;
  readonly events: string[];
  readonly position: number | null;
  readonly revision: number | null;
  readonly replayed: boolean;
}

/**
 * onRequest gate of a write group: 401 when anonymous, 403 when the role may never perform
 * `action` (checked against the actor's own department). The decider then checks the
 * resource's real department (L4 谁管辖、谁维护), so nothing is written on either refusal.
 */
export const requireAction =
  (action: AccessAction): onRequestAsyncHookHandler =>
  async (request) => {
    const actor = actorOf(request);
    const denied = authorize(actor, action, { department: actor.department });
    if (denied) throw denied;
  };

/** What a write's invariant check (`catchUpToHead`) may catch up on its own; beyond it a rebuild or start-up catch-up is under way. */
export const READ_YOUR_WRITES_MAX_LAG = 5_000;

/**
 * Other processes' events a read applies itself before answering: a few (another server's
 * write, a CLI command) cost a millisecond or two; more — a CLI import appending in another
 * process — are left to the live subscription, and the read answers from the read models as
 * they are. Measured (bench/responsiveness.ts, docs/registers.md): a read that waited for such
 * a backlog took up to 1.2 s; one that spent up to 10–20 ms on it still missed the p99 goal
 * (116–155 ms) on 2 shared cores; this rule met it (49–56 ms, docs/registers.md).
 */
export const FOREIGN_CATCH_UP_MAX = 100;

/** Response headers of every register read: how stale the answer may be (docs/api.md §5). */
export const READ_POSITION_HEADER = 'x-suiji-read-position';
export const LEDGER_HEAD_HEADER = 'x-suiji-ledger-head';

export interface ReadPosition {
  /** Events the read models had applied when the read was answered (the slowest projection's). */
  readonly position: number;
  /** Ledger size the read saw; `head - position` events were not yet in the answer. */
  readonly head: number;
}

/**
 * Read-your-writes without waiting for a writer (issue 8 §1). A read first applies every event
 * this server appended itself — so a client's acknowledged write is in its next read, even
 * before the live subscription delivers it — then other processes' events only when they are
 * few (FOREIGN_CATCH_UP_MAX), and answers. The headers say how far the answer is behind the
 * ledger. During a rebuild nothing is waited for: serve what is there (GET /health reports the
 * state and the lag).
 *
 * Chosen: "own" is this server's store object, not the reading client — any reader waits for
 * every write this server made (a per-client fence would need a session). A write made behind
 * another process's backlog therefore makes the next reads apply that backlog first.
 */
export async function freshen(deps: AppDeps, reply?: FastifyReply): Promise<ReadPosition> {
  const runner = deps.projections;
  const head = (await deps.store.head()).size;
  if (runner.status.state !== 'rebuilding') {
    // A store without the capability: treat every event as this server's own (waits, still correct).
    const own = isOwnAppends(deps.store) ? Math.min(deps.store.appendedSize, head) : head;
    // However far behind: an acknowledged write must be in its client's next read.
    if (runner.position < own) await runner.catchUp(undefined, own);
    if (runner.position < head && head - runner.position <= FOREIGN_CATCH_UP_MAX) await runner.catchUp(FOREIGN_CATCH_UP_MAX, head);
  }
  const read = { position: Math.min(runner.position, head), head };
  reply?.header(READ_POSITION_HEADER, String(read.position)).header(LEDGER_HEAD_HEADER, String(read.head));
  return read;
}

/** Read-your-writes for every GET of a route group (see `freshen`). */
export const freshenReads = (app: FastifyInstance, deps: AppDeps): void => {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET') await freshen(deps, reply);
  });
};

/**
 * For a write that checks an invariant against the read models (G3: the department tree): all
 * of the ledger up to the head it saw, whoever appended it, as reads did before issue 8 §1.
 */
export async function catchUpToHead(deps: AppDeps): Promise<void> {
  const head = await deps.store.head();
  const lag = Math.max(0, head.size - deps.projections.position);
  if (lag > 0 && lag <= READ_YOUR_WRITES_MAX_LAG) await deps.projections.catchUp(undefined, head.size);
}

/** Any signed-in actor; the route decides the rest (401 when anonymous). */
export const requireActor: onRequestAsyncHookHandler = async (request) => {
  actorOf(request);
};

/** Reads of internal registers: 401 when anonymous, 403 when the role may not read them. */
export const requireRead = requireAction;

/** The register's own NOT_FOUND (kind `中文 english`, each message in its own language). */
export { notFound } from '../../../domain/registers/index.js';

const keyOf = (request: FastifyRequest): string | undefined => {
  const k = request.headers['idempotency-key'];
  return typeof k === 'string' ? k : undefined;
};

/** Time and identity enter here, never in the domain (STYLE habit 3). Keys are scoped per user. */
export function commandMetadata(request: FastifyRequest): CommandMetadata {
  const actor = actorOf(request);
  const key = keyOf(request);
  return { actor, now: new Date().toISOString(), commandId: key ? `idem:${actor.userId}:${key}` : randomUUID() };
}

/**
 * Routes the command to its stream and decider and runs it. With an Idempotency-Key, a command
 * whose events are already in the stream (same correlation id) answers its original result.
 * A key names one command: reused on the same entry it answers the first command's result;
 * reused on another entry the derived event ids clash and the store refuses it (409
 * IDEMPOTENCY_CONFLICT), so a key can never write twice.
 *
 * Two servers (processes) over one ledger may receive the same key at once (issue 8 §3): both
 * find nothing recorded, both decide, one appends. The other then either hits the store's
 * idempotency (same events: `appended.replayed`), a conflict (the events differ, e.g. in a
 * timestamp), a decider refusal (the entry now exists) or a no-op (the change is already made).
 * In each case the stream now holds the key's events, so it re-reads and answers them as a
 * replay: exactly one answer says it wrote.
 */
export function runRegisterCommand(deps: AppDeps, command: RegisterCommand, keyed: boolean): Promise<WriteResult> {
  return routeRegisterCommand(command, async (routed) => {
    const replay = async (): Promise<WriteResult | null> => {
      if (!keyed) return null;
      const prior = (await deps.store.readStream(routed.streamId)).filter((e) => e.correlationId === command.metadata.commandId);
      const last = prior[prior.length - 1];
      return last ? { streamId: routed.streamId, events: prior.map((e) => e.type), position: last.position, revision: last.revision, replayed: true } : null;
    };
    const before = await replay();
    if (before) return before;
    let handled: Awaited<ReturnType<typeof handleCommand>>;
    try {
      handled = await handleCommand(deps.store, routed);
    } catch (e) {
      const won = await replay();
      if (won) return won;
      throw e;
    }
    if (handled.appended?.replayed || handled.events.length === 0) {
      const won = await replay();
      if (won) return won;
    }
    return {
      streamId: routed.streamId,
      events: handled.events.map((e) => e.type),
      position: handled.appended?.position ?? null,
      revision: handled.appended?.nextRevision ?? null,
      replayed: false,
    };
  });
}

/** 201 when a write appended events; 200 for a retry (replayed) or a no-op that changed nothing. */
export const writeStatus = (r: { readonly events: readonly string[]; readonly replayed: boolean }): 200 | 201 => (r.events.length > 0 && !r.replayed ? 201 : 200);

/** Builds the metadata, runs the command, and picks 201 for a creation that wrote events. */
export async function execute(
  deps: AppDeps,
  request: FastifyRequest,
  build: (metadata: CommandMetadata) => RegisterCommand,
  created = false,
): Promise<{ status: 200 | 201; body: WriteResult }> {
  const body = await runRegisterCommand(deps, build(commandMetadata(request)), keyOf(request) !== undefined);
  return { status: created ? writeStatus(body) : 200, body };
}
