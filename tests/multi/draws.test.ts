/**
 * Issue 12 "Several instances", draws: three `suiji serve --store postgres://…` processes on one
 * real PostgreSQL 15 database, each with its own data directory, clients picking a port. The
 * draw rules that span streams — one open draw per task slot (V3) and PL5's two random draws per
 * entity and year — must hold when the racing requests land on different processes, and are
 * checked from the ledger's events, not only from the answers.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { freshSchema, usePostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startInstance } from './serve.js';
import { runCli } from '../cli/run-cli.js';
import { freshUscc } from '../api/registers/harness.js';
import { bureau, officeBody } from '../reliability/support.js';
import { SECRETS, countedTarget, drawFactsOf, drawItem, drawRequest, drawsOf, ledgerEvents, must, publishItems, taskDraft, type Answer, type DrawClass } from '../reliability/draw-world.js';

const server = usePostgres();
const dirs: { path: string; remove: () => void }[] = [];
const children: ChildProcess[] = [];
let urls: string[] = [];
let token = '';
let storeUrl = '';

const call = (i: number, method: string, path: string, body?: unknown, key?: string): Promise<Answer> => must(urls[i % 3]!, token, method, path, body, key);
const created = (a: Answer, what: string): void => expect(a.status, `${what}: ${a.text}`).toBeLessThan(300);

/** Counted targets (PL5) and exempt ones (key industry); the schema holds nothing else, so `{}` is the whole register. */
const counted = [freshUscc(), freshUscc(), freshUscc()];
const exempt = [freshUscc(), freshUscc()];
/** A non-directional class over the whole register, drawn whole: every counted entity is in every draw. */
const whole: DrawClass[] = [{ name: '全部', filter: {}, quota: { ratio: { numerator: 1, denominator: 1 } } }];
/** The slot race uses a key item (no PL5, no pool minimum) of its own department, so it never blocks the PL5 tasks. */
const one: DrawClass[] = [{ name: '全部', filter: {}, quota: { count: 1 } }];

beforeAll(async () => {
  const schema = freshSchema('multidraw');
  storeUrl = server().url(schema);
  for (let i = 0; i < 3; i++) dirs.push(tempDir('suiji-multidraw-'));
  const made = runCli(['token', 'create', '--data', dirs[0]!.path, '--user', 'admin-1', '--role', 'admin', '--department', 'bureau', '--store', storeUrl]);
  expect(made.status, made.stderr).toBe(0);
  token = /sj_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(made.stdout)![0];
  urls = await Promise.all(dirs.map((d) => startInstance(children, d.path, storeUrl)));
  // The world, through the routes: the bureau, four offices, its unified list, the register.
  created(await call(0, 'POST', '/departments', bureau), 'bureau');
  for (const d of ['dept-a', 'dept-b', 'dept-c', 'dept-s']) created(await call(1, 'POST', '/departments', officeBody(d)), d);
  await publishItems(urls[2]!, token, [drawItem('G-A', 'dept-a'), drawItem('G-B', 'dept-b'), drawItem('G-C', 'dept-c'), { ...drawItem('K-S', 'dept-s'), category: 'key', maxRatioBp: undefined }]);
  for (const u of counted) created(await call(0, 'POST', '/targets', countedTarget(u)), u);
  for (const u of exempt) created(await call(1, 'POST', '/targets', { ...countedTarget(u), flags: { dishonest: false, abnormalOperation: false, keyIndustry: true, complaintCount: 0 } }), u);
}, 180_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  dirs.forEach((d) => d.remove());
});

async function newTask(i: number, department: string, item: string, classes: DrawClass[], directional = false): Promise<string> {
  const r = await call(i, 'POST', '/tasks', taskDraft(department, item, classes, directional));
  created(r, `task of ${department}`);
  return r.body!.taskId as string;
}

/** Both witnesses reveal, each through another instance; the last reveal completes the draw. Returns the selection. */
async function complete(drawId: string, from: number): Promise<string[]> {
  let last: Answer | undefined;
  for (const [k, [witness, secret]] of Object.entries(SECRETS).entries()) {
    last = await call(from + k, 'POST', `/draws/${drawId}/witness-reveals`, { witness, secret });
    expect(last.status, last.text).toBe(200);
  }
  expect(last!.body).toMatchObject({ status: 'completed' });
  const r = await call(from + 2, 'GET', `/draws/${drawId}`);
  return ((r.body!.result as { merged: string[] }).merged ?? []).slice().sort();
}

/** A refusal of a losing draw commit: coded, never a 500 — V3 DRAW_ALREADY_OPEN naming the winner (422), or a revision conflict (409) if it lost its retries too. */
function refusedAsLoser(a: Answer, winner: string): void {
  expect([409, 422], a.text).toContain(a.status);
  if (a.status === 422) expect(a.body).toMatchObject({ error: 'RULE_VIOLATION', messageZh: expect.any(String), messageEn: expect.any(String), details: { rule: 'V3', reason: 'DRAW_ALREADY_OPEN', openDrawId: winner, field: '/task' } });
  else expect(a.body).toMatchObject({ error: 'WRONG_EXPECTED_REVISION', messageZh: expect.any(String), messageEn: expect.any(String) });
}

describe('draws across three API instances on one PostgreSQL database', () => {
  it('V3: concurrent commits of one task slot sent to three instances — exactly one committed (201), the others a coded refusal (never 500); after completion no instance can re-roll the slot', async () => {
    for (let round = 0; round < 3; round++) {
      const task = await newTask(round, 'dept-s', 'K-S', one);
      const body = drawRequest(task, 'K-S', one);
      const answers = await Promise.all([0, 1, 2].map((i) => call(round + i, 'POST', '/draws/targets', body)));
      expect(answers.filter((a) => a.status >= 500), answers.map((a) => a.text).join('\n')).toEqual([]);
      const won = answers.filter((a) => a.status === 201);
      expect(won, answers.map((a) => `${a.status} ${a.text}`).join('\n')).toHaveLength(1);
      const winner = won[0]!.body!.drawId as string;
      expect(winner).toBe(`${task}.targets.1`);
      for (const a of answers.filter((x) => x !== won[0])) refusedAsLoser(a, winner);
      // Every instance lists the one draw of the slot.
      for (let i = 0; i < 3; i++) expect((await drawsOf(urls[i]!, token, task)).map((d) => d.drawId)).toEqual([winner]);
      // The last witness reveal sent to two instances at once: the draw completes once.
      const w1 = await call(round, 'POST', `/draws/${winner}/witness-reveals`, { witness: 'w1', secret: SECRETS.w1 });
      expect(w1.status, w1.text).toBe(200);
      const last = await Promise.all([1, 2].map((i) => call(round + i, 'POST', `/draws/${winner}/witness-reveals`, { witness: 'w2', secret: SECRETS.w2 })));
      expect(last.map((a) => a.status).sort(), last.map((a) => a.text).join('\n')).toEqual([200, 422]);
      expect(last.find((a) => a.status === 422)!.body).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'V3' } });
      // No re-roll through any instance once completed (V3 DRAW_ALREADY_COMPLETED), even sent at once.
      const again = await Promise.all([0, 1, 2].map((i) => call(round + i, 'POST', '/draws/targets', body)));
      for (const a of again) {
        expect(a.status, a.text).toBe(422);
        expect(a.body).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'V3', reason: 'DRAW_ALREADY_COMPLETED', drawId: winner } });
      }
      const slot = (await ledgerEvents(dirs[0]!.path, storeUrl)).filter((e) => e.streamId === `draw-${task}.targets`);
      expect(slot.map((e) => e.type)).toEqual(['DrawCommitted', 'WitnessSecretRevealed', 'WitnessSecretRevealed', 'DrawCompleted']);
      // One pending list per department and item (V3): lock it before the next round draws K-S again.
      created(await call(round + 2, 'POST', `/tasks/${task}/lock`, { drawId: winner }), 'lock');
    }
    expect(drawFactsOf(await ledgerEvents(dirs[0]!.path, storeUrl)).violations).toEqual([]);
  });

  it('PL5: an entity at its cap of two random draws a year cannot be drawn a third time through another instance — three locks racing on three instances count it once more, the other two leave it out; a later draw on another instance excludes it before the commitment', async () => {
    const all = [...counted, ...exempt].sort();
    // First draw: counted once at its lock (issue 9: PL5 counts at the lock).
    const t1 = await newTask(0, 'dept-a', 'G-A', whole);
    const d1 = (await call(1, 'POST', '/draws/targets', drawRequest(t1, 'G-A', whole))).body!.drawId as string;
    expect(await complete(d1, 2)).toEqual(all);
    created(await call(0, 'POST', `/tasks/${t1}/lock`, { drawId: d1 }), 'lock 1');

    // Three departments each draw the whole register while every counted entity stands at 1: none is excluded at commit.
    const tasks = await Promise.all(
      (['a', 'b', 'c'] as const).map(async (x, i) => {
        const t = await newTask(i, `dept-${x}`, `G-${x.toUpperCase()}`, whole);
        const c = await call(i + 1, 'POST', '/draws/targets', drawRequest(t, `G-${x.toUpperCase()}`, whole));
        expect(c.status, c.text).toBe(201);
        return { task: t, drawId: c.body!.drawId as string };
      }),
    );
    for (const [i, t] of tasks.entries()) expect(await complete(t.drawId, i)).toEqual(all);

    // The three locks at once, each through another instance: the store commits one set of counter writes.
    const locks = await Promise.all(tasks.map((t, i) => call(i, 'POST', `/tasks/${t.task}/lock`, { drawId: t.drawId })));
    for (const l of locks) expect(l.status, l.text).toBe(201);
    const events = await ledgerEvents(dirs[0]!.path, storeUrl);
    const locked = events.filter((e) => e.type === 'TaskListLocked' && tasks.some((t) => t.task === (e.payload as { taskId: string }).taskId));
    expect(locked).toHaveLength(3);
    const lists = locked.map((e) => e.payload as { targets: string[]; excluded?: { uscc: string; rule: string; count: number; cap: number }[] });
    // Exactly one lock took the counted entities to 2; the other two left every one of them out at the cap.
    expect(lists.filter((l) => counted.every((u) => l.targets.includes(u)))).toHaveLength(1);
    const losers = lists.filter((l) => (l.excluded ?? []).length > 0);
    expect(losers).toHaveLength(2);
    for (const l of losers) {
      expect(l.excluded!.map((x) => x.uscc).sort()).toEqual([...counted].sort());
      expect(l.excluded!.every((x) => x.rule === 'PL5' && x.count === 2 && x.cap === 2)).toBe(true);
      expect(l.targets.slice().sort()).toEqual([...exempt].sort());
    }
    for (const u of counted) expect(events.filter((e) => e.type === 'DrawCounted' && (e.payload as { uscc: string }).uscc === u).map((e) => (e.payload as { count: number }).count)).toEqual([1, 2]);
    for (const u of exempt) expect(events.some((e) => e.type === 'DrawCounted' && (e.payload as { uscc: string }).uscc === u)).toBe(false);

    // A later draw through yet another instance: the capped entities are excluded before the commitment, with the PL5 reason.
    const t5 = await newTask(2, 'dept-a', 'G-A', whole);
    const c5 = await call(0, 'POST', '/draws/targets', drawRequest(t5, 'G-A', whole));
    expect(c5.status, c5.text).toBe(201);
    const d5 = c5.body!.drawId as string;
    const view = await call(1, 'GET', `/draws/${d5}`);
    const pool = (view.body!.commitment as { classes: { pool: { size: number; exclusions: { id: string; reason: string }[] } }[] }).classes[0]!.pool;
    expect(pool.exclusions.map((x) => x.id).sort()).toEqual([...counted].sort());
    for (const x of pool.exclusions) expect(x.reason).toMatch(/^PL5：\d{4}年度已被随机抽查2次，达到上限2次/);
    expect(pool.size).toBe(exempt.length);
    expect(await complete(d5, 1)).toEqual([...exempt].sort());
    created(await call(2, 'POST', `/tasks/${t5}/lock`, { drawId: d5 }), 'lock 5');

    const facts = drawFactsOf(await ledgerEvents(dirs[0]!.path, storeUrl));
    expect(facts.violations).toEqual([]);
    expect(facts.maxCount).toBe(2);
    expect(facts.atCap).toBe(counted.length);
  });
});
