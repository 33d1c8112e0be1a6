/**
 * LISTEN/NOTIFY wake-ups for subscriptions: every append transaction sends `pg_notify` on the
 * ledger's channel, delivered at commit, so an instance learns at once that another instance
 * appended. One dedicated connection, opened on the first subscription. NOTIFY is a hint, not
 * the data: a dropped listener connection only delays delivery to the notifier's poll
 * interval (the bounded fallback), and it is reopened after that interval.
 */
import pg from 'pg';
import type { ChangeNotifier } from '../notifier.js';

export class PgWakeups {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly notifier: ChangeNotifier,
    private readonly retryMs: number,
  ) {}

  start(): void {
    if (this.client || this.stopped || this.retry) return;
    void this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    this.client = client;
    const lost = (): void => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.retry = setTimeout(() => {
        this.retry = null;
        this.start();
      }, this.retryMs);
      this.retry.unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.notifier.bump());
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
      // Appends may have committed while no one listened: look once.
      this.notifier.bump();
    } catch {
      lost();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
