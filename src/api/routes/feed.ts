import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import sseModule from '@fastify/sse';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { SuijiError } from '../../domain/errors.js';
import { viewFor } from '../../domain/publicity.js';
import { defaultLogOrigin } from '../../app/ledger/index.js';
import { ConnectionLimiter, matches, parseFilter, sseFrame, startPosition, toCloudEvent } from '../../app/feed/index.js';
import { bootstrapOpen } from '../../projections/tokens/projection.js';
import type { RecordedEvent, Subscription } from '../../store/port.js';
import type { AppDeps } from '../deps.js';
import { authenticate } from '../tokens.js';
import { errorResponses } from './registers/common.js';

export interface FeedOptions {
  /** CloudEvents `source` of every event; default `urn:suiji:yiyuan.suiji.example/ledger` (the log origin). */
  readonly source?: string;
  /** An SSE comment line every this many ms keeps proxies from closing an idle stream. Default 15 s. */
  readonly heartbeatMs?: number;
  /** Bytes a connection may have queued for its socket before it waits for the client to read. Default 1 MiB. */
  readonly highWaterBytes?: number;
  /** A consumer whose queue does not drain within this many ms is closed with `event: error`. Default 30 s. */
  readonly stallMs?: number;
  /** After that error a connection that still does not read is cut after this many ms. Default 30 s. */
  readonly closeGraceMs?: number;
  /** Open feed connections per token (or per IP when anonymous). Default 4. */
  readonly maxConnectionsPerClient?: number;
  /** Open feed connections of token holders in all. Default 256. */
  readonly maxConnections?: number;
  /** Open anonymous feed connections in all, a pool of its own so anonymous crowds never lock staff out. Default 128. */
  readonly maxAnonymousConnections?: number;
}

// The package's module.exports is the fastify-plugin-wrapped function (it must not be
// encapsulated, or its onRoute hook would miss our route); its typings call it the module.
const sse = sseModule as unknown as FastifyPluginAsync<{ heartbeatInterval?: number }>;

/** CloudEvents `source`: this log, named by its checkpoint origin (the one setting, SUIJI_LOG_ORIGIN). */
const defaultFeedSource = (): string => `urn:suiji:${defaultLogOrigin()}`;

const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Resume after this position, for clients that cannot send `Last-Event-ID`. */
    after: { type: 'string', maxLength: 20 },
    /** Comma-separated event types. */
    type: { type: 'string', minLength: 1, maxLength: 4000 },
    /** Stream id prefix, e.g. `draw-` or `notice-`. */
    stream: { type: 'string', maxLength: 300 },
  },
} as const;

// G3: events after which a token may no longer stand: the stream re-checks its token at them.
const standingEvents = new Set(['TokenRevoked', 'UserDeactivated', 'UserRoleChanged', 'UserRegistered']);
const TOKEN_ID = /^Bearer sj_([a-z0-9]{16})\./;

/**
 * GET /feed: the ledger as Server-Sent Events, each a CloudEvents 1.0 JSON event (docs/public.md
 * "The event feed"). One store subscription per connection: it catches up from the resume point
 * and follows the ledger live, in position order without gaps (the store's guarantee), and the
 * publicity rules (src/domain/publicity.ts) decide per event what this reader sees.
 */
export const feedRoutes =
  (deps: AppDeps, options: FeedOptions = {}): FastifyPluginAsync =>
  async (base) => {
    const source = options.source ?? defaultFeedSource();
    const highWater = options.highWaterBytes ?? 1024 * 1024;
    const stallMs = options.stallMs ?? 30_000;
    const graceMs = options.closeGraceMs ?? 30_000;
    const perClient = options.maxConnectionsPerClient ?? 4;
    const staffLimiter = new ConnectionLimiter(perClient, options.maxConnections ?? 256);
    const anonymousLimiter = new ConnectionLimiter(perClient, options.maxAnonymousConnections ?? 128);
    const open = new Set<(reason: SuijiErrorLike) => void>();
    await base.register(sse, { heartbeatInterval: options.heartbeatMs ?? 15_000 });
    // Long-lived streams would hold app.close() forever: tell each client and end it.
    base.addHook('preClose', async () => {
      for (const end of [...open]) end(streamError('SERVER_CLOSING', '服务器正在关闭，请稍后从最后收到的编号续订', 'the server is shutting down; resume from the last id received'));
    });
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();

    app.get(
      '/feed',
      {
        // 'manual': the route always answers text/event-stream (errors before the stream starts
        // are the API's coded JSON errors); no Accept negotiation, so no uncoded 406.
        sse: { kind: 'manual' },
        schema: {
          tags: ['feed'],
          summary: 'P2 the ledger as a live stream of CloudEvents (SSE); anonymous readers get public events only 事件流',
          security: [],
          querystring: query,
          response: { ...errorResponses },
        },
      },
      async (request, reply) => {
        const reader = request.actor;
        const filter = parseFilter(reader, request.query.type, request.query.stream);
        const stillValid = async (): Promise<boolean> => {
          try {
            // As the auth hook does: the bootstrap question is asked of caught-up read models.
            const bootstrap = async (): Promise<boolean> => {
              if ((await deps.projections.lag()) > 0) await deps.projections.catchUp();
              return bootstrapOpen(deps.projections.db);
            };
            await authenticate(deps.store, bootstrap, /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
            return true;
          } catch {
            return false;
          }
        };
        const header = request.headers['last-event-id'];
        const from = startPosition(typeof header === 'string' ? header : undefined, request.query.after, (await deps.store.head()).size);
        // G3: checked again after the head was read, so a revocation recorded since the auth hook
        // either fails here or lies at or after `from`, where the stream meets it.
        if (reader !== null && !(await stillValid())) throw new SuijiError('UNAUTHENTICATED', { field: 'authorization', rule: 'G3' });
        const token = reader ? TOKEN_ID.exec(request.headers.authorization ?? '')?.[1] : undefined;
        const release = token ? staffLimiter.acquire(`token:${token}`, 'authorization') : anonymousLimiter.acquire(`ip:${request.ip}`, 'ip');

        const raw = reply.raw;
        let closed = false;
        let lastId: number | null = null;
        let corked = false;
        let subscription: Subscription | undefined;
        const end = (error: SuijiErrorLike): void => {
          if (closed) return;
          closed = true;
          if (raw.destroyed || raw.writableEnded) return;
          raw.write(`event: error\ndata: ${JSON.stringify({ ...error, details: { ...error.details, lastEventId: lastId === null ? null : String(lastId) } })}\n\n`);
          raw.end();
          // A client that does not read is cut once the grace is over; until then it can still
          // read what was queued, ending with the error that says where to resume.
          setTimeout(() => raw.destroy(), graceMs).unref();
          void subscription?.close();
        };
        const cleanUp = (): void => {
          closed = true;
          open.delete(end);
          release();
          void subscription?.close();
        };
        reply.sse.keepAlive();
        reply.sse.onClose(cleanUp);
        // A client gone during the awaits above closed the socket before onClose was registered:
        // its callbacks have run already, so give the slot back here and start nothing.
        if (!reply.sse.isConnected || raw.destroyed) {
          cleanUp();
          return;
        }
        open.add(end);
        reply.sse.sendHeaders();
        raw.write(`retry: 2000\n: suiji feed from position ${from}\n\n`);

        const deliver = async (event: RecordedEvent): Promise<void> => {
          if (closed) return;
          if (reader !== null && standingEvents.has(event.type) && !(await stillValid())) {
            end(streamError('UNAUTHENTICATED', 'G3：令牌已失效（吊销、停用或角色变更）', 'G3: the token no longer stands (revoked, user deactivated or changed)'));
            return;
          }
          if (!matches(filter, event.type, event.streamId)) return;
          const view = viewFor(reader, event);
          if (view === null) return;
          // Frames of one catch-up page go out in one write (bench/feed.ts: a syscall per frame
          // cost more than the rest of the route); the socket is uncorked once the page is done.
          if (!corked) {
            corked = true;
            raw.cork();
            setImmediate(() => {
              corked = false;
              raw.uncork();
            });
          }
          raw.write(sseFrame(String(event.position), toCloudEvent(event, view, source)));
          lastId = event.position;
          // Bounded queue: wait for the client while it is over the mark; one that does not
          // read in time is closed with a reason, never buffered without end or skipped.
          if (raw.writableLength > highWater && !(await drained(raw, stallMs))) {
            end(streamError('SLOW_CONSUMER', '客户端读取过慢，连接已关闭；请从最后收到的编号续订', 'the client reads too slowly; the stream is closed, resume from the last id received'));
          }
        };
        subscription = deps.store.subscribe(from, deliver);
        subscription.done.catch((err: unknown) => {
          request.log.error({ err }, 'feed subscription failed');
          end(streamError('STORE_UNAVAILABLE', '读取账本失败，请稍后续订', 'reading the ledger failed; resume later'));
        });
      },
    );
  };

interface SuijiErrorLike {
  readonly error: string;
  readonly message: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details: Record<string, unknown>;
}

/** The error frame's data: the API's error shape, with codes of its own for stream-only reasons. */
function streamError(code: string, zh: string, en: string): SuijiErrorLike {
  if (code === 'UNAUTHENTICATED' || code === 'STORE_UNAVAILABLE') return new SuijiError(code, {}, { zh, en }).toJSON();
  return { error: code, message: `${zh} / ${en}`, messageZh: zh, messageEn: en, details: {} };
}

/** True once the socket has drained; false after `ms` or when it closes first. */
function drained(raw: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      raw.off('drain', onDrain);
      raw.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => finish(true);
    const onClose = (): void => finish(false);
    const timer = setTimeout(() => finish(false), ms);
    raw.on('drain', onDrain);
    raw.on('close', onClose);
  });
}
