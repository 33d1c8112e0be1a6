import { request, type IncomingMessage } from 'node:http';

export interface SseFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comments: readonly string[];
}

/**
 * A real SSE client over node:http (WHATWG HTML §9.2.6 parsing, enough for our frames): keeps
 * the raw bytes (for the canary checks), the parsed frames, and can stop reading (pause) to
 * play a slow consumer.
 */
export class FeedClient {
  raw = '';
  readonly frames: SseFrame[] = [];
  ended = false;
  private pending = '';
  private waiters: Array<() => void> = [];

  private constructor(
    readonly status: number,
    readonly headers: IncomingMessage['headers'],
    private readonly res: IncomingMessage,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.raw += chunk;
      this.pending += chunk;
      let cut: number;
      while ((cut = this.pending.indexOf('\n\n')) >= 0) {
        this.frames.push(parseFrame(this.pending.slice(0, cut)));
        this.pending = this.pending.slice(cut + 2);
      }
      this.wake();
    });
    const done = (): void => {
      this.ended = true;
      this.wake();
    };
    res.on('end', done);
    res.on('close', done);
    res.on('error', done);
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<FeedClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => resolve(new FeedClient(res.statusCode ?? 0, res.headers, res)));
      req.on('error', reject);
      req.end();
    });
  }

  /** Event frames (with an id), as parsed CloudEvents. */
  events(): Array<Record<string, unknown>> {
    return this.frames.filter((f) => f.id !== undefined && f.event === undefined).map((f) => JSON.parse(f.data!) as Record<string, unknown>);
  }

  ids(): number[] {
    return this.frames.filter((f) => f.id !== undefined && f.event === undefined).map((f) => Number(f.id));
  }

  lastId(): number | null {
    const ids = this.ids();
    return ids.length === 0 ? null : ids[ids.length - 1]!;
  }

  /** Resolves once `test` holds (checked on every chunk); rejects if the stream ends first. */
  async until(test: (c: FeedClient) => boolean, what = 'condition'): Promise<void> {
    while (!test(this)) {
      if (this.ended) throw new Error(`stream ended before ${what}; last id ${this.lastId()}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async body(): Promise<string> {
    await this.until((c) => c.ended, 'end').catch(() => undefined);
    return this.raw;
  }

  pause(): void {
    this.res.pause();
  }

  resume(): void {
    this.res.resume();
  }

  close(): void {
    this.res.destroy();
  }

  /** Re-checks pending `until` conditions that depend on something other than the stream. */
  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

function parseFrame(block: string): SseFrame {
  const frame: { id?: string; event?: string; data?: string; comments: string[] } = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
    else {
      const i = line.indexOf(':');
      const name = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (name === 'id') frame.id = value;
      else if (name === 'event') frame.event = value;
      else if (name === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    }
  }
  return frame;
}
