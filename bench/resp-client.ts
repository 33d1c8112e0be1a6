/**
 * The sampling client of bench/responsiveness.ts, in its own process (forked with an IPC
 * channel): a server that blocks its event loop cannot also delay this clock, so the figures
 * are what an outside client sees. Per run: `{ base, bearer, min }` starts sampling, `stop`
 * ends it once `min` rounds are done; the reply is both reads' latencies in ms.
 */
interface Start {
  readonly base: string;
  readonly bearer: string;
  readonly min: number;
}

let stopped = false;
process.on('message', (m: Start | 'stop') => {
  if (m === 'stop') {
    stopped = true;
    return;
  }
  stopped = false;
  void run(m);
});

async function run({ base, bearer, min }: Start): Promise<void> {
  const health: number[] = [];
  const read: number[] = [];
  let error: string | null = null;
  for (let i = 0; !stopped || i < min; i++) {
    let t = performance.now();
    const h = await fetch(`${base}/health`);
    await h.arrayBuffer();
    health.push(performance.now() - t);
    t = performance.now();
    const r = await fetch(`${base}/targets`, { headers: { authorization: bearer } });
    const body = await r.text();
    read.push(performance.now() - t);
    if (h.status !== 200 || r.status !== 200) {
      error = `read failed: ${h.status} ${r.status} after ${i} rounds ${body.slice(0, 200)}`;
      break;
    }
  }
  process.send!({ health, read, error });
}
