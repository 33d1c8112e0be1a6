import { SuijiError } from '../../domain/errors.js';

/**
 * Bounds the open feed connections: per client (a token's id, or the IP of an anonymous
 * client) and in all. A feed connection holds a subscription and a socket for as long as the
 * client likes, so without a bound one client could hold them all.
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perClient: number,
    private readonly max: number,
  ) {}

  /** Takes a slot for `client` or throws RATE_LIMITED (429); call the returned function once to give it back. */
  acquire(client: string, field: string): () => void {
    const n = this.open.get(client) ?? 0;
    if (n >= this.perClient || this.total >= this.max) {
      const perClient = n >= this.perClient;
      throw new SuijiError(
        'RATE_LIMITED',
        { field, limit: perClient ? this.perClient : this.max },
        perClient
          ? { zh: `同一客户端最多同时打开 ${this.perClient} 个事件流连接`, en: `at most ${this.perClient} concurrent feed connections per client` }
          : { zh: `事件流连接已满（${this.max}），请稍后再试`, en: `the feed is at its connection limit (${this.max}); try again later` },
      );
    }
    this.open.set(client, n + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left === 0) this.open.delete(client);
      else this.open.set(client, left);
    };
  }

  get size(): number {
    return this.total;
  }
}
