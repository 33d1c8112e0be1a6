/**
 * Draws in the crash load (issue 12): a draw is a chain of five requests — create an ad-hoc task,
 * commit its target draw, reveal witness 1, reveal witness 2 (which completes the draw in the same
 * append), lock the task's list (where PL5 counts) — each with its own Idempotency-Key, so a step
 * the kill cut can be sent again unchanged and lands at most once.
 *
 * What "no half-present draw" means here, and what the checks assert after every restart:
 * - every acknowledged step is there: the task; the draw (committed or completed); a revealed
 *   witness; a completion with the very selection the client was answered (no re-roll across a
 *   crash); a lock naming the draw;
 * - a step that was cut (no answer) or answered 5xx (the database killed under it) left the chain
 *   in one of two states only — the step absent or the step whole: the slot holds no draw or one,
 *   a draw is `committed` (open, its reveals so far) or `completed` with a result that replays
 *   (GET /draws/:id/verify). Then the chain is completable: the cut step is sent again with its
 *   key, and the remaining steps, and every one must succeed, ending in a completed draw and a
 *   locked task — exactly one draw in the slot;
 * - a commit refused with a 4xx (another pending list of the item, a pool PL5 shrank below the
 *   minimum) wrote nothing: the task's slot is empty. A cut commit that had not landed may be
 *   refused when sent again, for the same reasons; then likewise.
 */
import { expect } from 'vitest';
import { DRAW_REGION, SECRETS, countedTarget, drawItem, drawRequest, drawsOf, must, publishItems, send, taskDraft, type Answer, type DrawClass } from './draw-world.js';
import { officeBody } from './support.js';

export const STEPS = ['task', 'commit', 'w1', 'w2', 'lock'] as const;
export type Step = (typeof STEPS)[number];

export interface Chain {
  readonly id: string;
  readonly department: string;
  readonly item: string;
  taskId?: string;
  drawId?: string;
  /** Steps acknowledged (2xx), in order. */
  acked: number;
  /** The completion's selection as answered to the client. */
  selected?: string[];
  /** The step whose answer never came (cut) or was a 5xx: in the ledger or not, to be resolved. */
  pending?: Step;
  /** A 4xx refusal: the step and the answer. */
  refused?: { step: Step; status: number; text: string };
}

export interface DrawTally {
  chains: Chain[];
  /** 5xx answers to draw steps by status and code (the database killed under them). */
  serverErrors: Record<string, number>;
  /** Chains cut or left unknown by a kill (or a 5xx), then completed by re-sending the step with its key, and the rest. */
  completedAfterCut: number;
  /** Chains whose writer stopped between two steps (the server was dead), then completed from the next step. */
  resumedAfterStop: number;
  /** Of those, the cut step had reached the ledger before the kill. */
  cutStepPresent: number;
  refusedCommits: number;
  /** Cut commits that had not landed and, sent again, were refused (4xx): they count among refusedCommits. */
  refusedOnResend: number;
  /** Requests of draw chains answered 2xx, in all (re-sent steps included). */
  stepsAcknowledged: number;
}

export const newDrawTally = (): DrawTally => ({ chains: [], serverErrors: {}, completedAfterCut: 0, resumedAfterStop: 0, cutStepPresent: 0, refusedCommits: 0, refusedOnResend: 0, stepsAcknowledged: 0 });

/** One class over the draw region: a random sample of 2, so PL5's cap is reached within a run and then excludes. */
export const drawClasses: DrawClass[] = [{ name: '历山', filter: { region: [DRAW_REGION] }, quota: { count: 2 } }];

/** The writers' departments and items: one each, so writers do not refuse each other's lists (one pending list per department and item). */
export const drawDepartment = (writer: number): string => `dept-w${writer}`;
export const drawItemId = (writer: number): string => `DW-${writer}`;

/** Offices, the bureau's unified list with one general item per writer, and the first counted targets of the draw region. */
export async function seedDrawWorld(base: string, token: string, writers: number, targets: readonly string[]): Promise<void> {
  for (let w = 0; w < writers; w++) {
    const r = await must(base, token, 'POST', '/departments', officeBody(drawDepartment(w)));
    expect(r.status, r.text).toBe(201);
  }
  await publishItems(base, token, Array.from({ length: writers }, (_, w) => drawItem(drawItemId(w), drawDepartment(w))));
  for (const u of targets) {
    const r = await must(base, token, 'POST', '/targets', countedTarget(u));
    expect(r.status, r.text).toBe(201);
  }
}

function request(chain: Chain, step: Step): { method: string; path: string; body?: unknown } {
  switch (step) {
    case 'task':
      return { method: 'POST', path: '/tasks', body: taskDraft(chain.department, chain.item, drawClasses) };
    case 'commit':
      return { method: 'POST', path: '/draws/targets', body: drawRequest(chain.taskId!, chain.item, drawClasses) };
    case 'w1':
    case 'w2':
      return { method: 'POST', path: `/draws/${chain.drawId!}/witness-reveals`, body: { witness: step, secret: SECRETS[step] } };
    case 'lock':
      return { method: 'POST', path: `/tasks/${chain.taskId!}/lock`, body: { drawId: chain.drawId! } };
  }
}

const mergedOf = (body: Record<string, unknown> | undefined): string[] => ((body?.result as { merged?: string[] } | null)?.merged ?? []).slice().sort();

function take(chain: Chain, step: Step, a: Answer): void {
  if (step === 'task') chain.taskId = a.body!.taskId as string;
  if (step === 'commit') chain.drawId = a.body!.drawId as string;
  if (step === 'w2') {
    expect(a.body, `${chain.id}: the last reveal completes the draw`).toMatchObject({ status: 'completed' });
    chain.selected = mergedOf(a.body);
  }
}

/**
 * Runs the chain from `from` until it ends: 'done', 'cut' (no answer), 'unknown' (5xx) or
 * 'refused' (4xx). `keepGoing` is asked before each step (the writers stop when the server is dead).
 */
export async function runChain(base: string, token: string, chain: Chain, tally: DrawTally, from: number, keepGoing: () => boolean = () => true): Promise<'done' | 'cut' | 'unknown' | 'refused' | 'stopped'> {
  for (let i = from; i < STEPS.length; i++) {
    if (!keepGoing()) return 'stopped';
    const step = STEPS[i]!;
    const { method, path, body } = request(chain, step);
    const a = await send(base, token, method, path, body, `${chain.id}-${step}`);
    if (!a) {
      chain.pending = step;
      return 'cut';
    }
    if (a.status >= 500) {
      const code = `${a.status} ${String(a.body?.error ?? '')}`;
      tally.serverErrors[code] = (tally.serverErrors[code] ?? 0) + 1;
      chain.pending = step;
      return 'unknown';
    }
    if (a.status >= 400) {
      if (step === 'commit') tally.refusedCommits++;
      chain.refused = { step, status: a.status, text: a.text };
      return 'refused';
    }
    take(chain, step, a);
    chain.acked = i + 1;
    chain.pending = undefined;
    tally.stepsAcknowledged++;
  }
  return 'done';
}

async function getBody(base: string, token: string, path: string): Promise<Answer> {
  return must(base, token, 'GET', path);
}

/** The acknowledged steps of a chain are there, whole; nothing in it is in any state but absent or whole. */
async function checkAcknowledged(base: string, token: string, c: Chain): Promise<void> {
  if (c.acked >= 1) expect((await getBody(base, token, `/tasks/${c.taskId!}`)).status, `${c.id}: acknowledged task`).toBe(200);
  if (c.acked < 2) return;
  const d = await getBody(base, token, `/draws/${c.drawId!}`);
  expect(d.status, `${c.id}: acknowledged draw ${c.drawId}`).toBe(200);
  expect(['committed', 'completed'], `${c.id}: ${d.text}`).toContain(d.body!.status);
  const revealed = (d.body!.reveals as { witnesses: string[] }).witnesses;
  if (c.acked >= 3) expect(revealed, `${c.id}: acknowledged reveal of w1`).toContain('w1');
  if (d.body!.status === 'completed') {
    // A completed draw replays (V4), and has both reveals: they were in the completing append.
    expect(revealed).toEqual(['w1', 'w2']);
    const v = await getBody(base, token, `/draws/${c.drawId!}/verify`);
    expect(v.status, v.text).toBe(200);
    expect(v.body, `${c.id}: verify`).toMatchObject({ ok: true });
  } else expect(revealed.length, `${c.id}: an open draw has not both reveals`).toBeLessThan(2);
  if (c.acked >= 4) {
    expect(d.body!.status, `${c.id}: acknowledged completion`).toBe('completed');
    // No re-roll across a crash: the ledger holds the selection the client was answered.
    expect(mergedOf(d.body), `${c.id}: the selection answered before the kill`).toEqual(c.selected);
  }
  if (c.acked >= 5) {
    const t = await getBody(base, token, `/tasks/${c.taskId!}`);
    expect((t.body!.locked as { drawId: string } | null)?.drawId, `${c.id}: acknowledged lock`).toBe(c.drawId);
  }
}

/** Was the pending step in the ledger before it is sent again? (Only where it can be told apart.) */
async function pendingPresent(base: string, token: string, c: Chain): Promise<boolean | undefined> {
  switch (c.pending) {
    case 'task':
      return undefined;
    case 'commit': {
      const draws = await drawsOf(base, token, c.taskId!);
      expect(draws.length, `${c.id}: a cut commit leaves no draw or one`).toBeLessThanOrEqual(1);
      if (draws.length === 1) expect(draws[0]!.status, `${c.id}: no reveal was sent, so the cut commit is open`).toBe('committed');
      return draws.length === 1;
    }
    case 'w1':
    case 'w2': {
      const d = await getBody(base, token, `/draws/${c.drawId!}`);
      return (d.body!.reveals as { witnesses: string[] }).witnesses.includes(c.pending);
    }
    case 'lock': {
      const t = await getBody(base, token, `/tasks/${c.taskId!}`);
      const locked = t.body!.locked as { drawId: string } | null;
      if (locked !== null) expect(locked.drawId).toBe(c.drawId);
      return locked !== null;
    }
    default:
      return undefined;
  }
}

/**
 * After a restart: every chain's acknowledged steps are there; a cut or unknown chain is completed
 * by re-sending its pending step (same key) and the rest; a refused commit wrote nothing.
 */
export async function checkDraws(base: string, token: string, tally: DrawTally): Promise<void> {
  for (const c of tally.chains) {
    await checkAcknowledged(base, token, c);
    if (c.refused) {
      expect(c.refused.step, `${c.id}: only a commit may be refused (${c.refused.status} ${c.refused.text})`).toBe('commit');
      expect(await drawsOf(base, token, c.taskId!), `${c.id}: a refused commit wrote nothing`).toEqual([]);
      continue;
    }
    if (c.acked === STEPS.length) continue;
    // Not pending: the writer stopped between two steps (the server was dead); the rest was never sent.
    const wasCut = c.pending !== undefined;
    if (wasCut && (await pendingPresent(base, token, c))) tally.cutStepPresent++;
    const end = await runChain(base, token, c, tally, c.pending === undefined ? c.acked : STEPS.indexOf(c.pending));
    if (end === 'refused' && c.refused!.step === 'commit') {
      // The commit never landed (a landed one would answer as a replay of its key) and is refused
      // now — PL5 shrank the pool below the minimum meanwhile: a refused commit, which wrote nothing.
      expect(await drawsOf(base, token, c.taskId!), `${c.id}: a refused commit wrote nothing`).toEqual([]);
      tally.refusedOnResend++;
      continue;
    }
    expect(end, `${c.id}: completing a cut chain (${JSON.stringify(c.refused ?? c.pending ?? '')})`).toBe('done');
    if (wasCut) tally.completedAfterCut++;
    else tally.resumedAfterStop++;
    await checkAcknowledged(base, token, c);
    expect((await drawsOf(base, token, c.taskId!)).map((d) => d.drawId), `${c.id}: one draw in the slot`).toEqual([c.drawId]);
  }
}
