/**
 * Regenerates tests/vectors/lottery/*.json from cases.ts:
 *   npx tsc -p tests/vectors/lottery && node dist/lottery/tests/vectors/lottery/generate.js
 * Each file holds, per step, the commit input, the revealed entropy and the expected public
 * record. Vectors are committed; tests compare against the JSON, never against this script.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stream, Shuffler, commitDraw, completeDraw, verifyDrawRecord } from '../../../src/verify/index.js';
import type { DrawRecord } from '../../../src/verify/index.js';
import { CASES } from './cases.js';

const dir = join(process.cwd(), 'tests', 'vectors', 'lottery');
const write = (name: string, v: object): void => writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(v, null, 1)}\n`);

for (const c of CASES) {
  const records: DrawRecord[] = [];
  const steps = c.steps.map((s) => {
    const input = s.input(records);
    const committed = commitDraw(input);
    const record = completeDraw(committed, s.revealed, s.parent === undefined ? undefined : records[s.parent]);
    const check = verifyDrawRecord(JSON.parse(JSON.stringify(record)));
    if (!check.ok) throw new Error(`${c.name}: ${JSON.stringify(check)}`);
    records.push(record);
    return { input, ...(s.revealed && { revealed: s.revealed }), ...(s.parent !== undefined && { parent: s.parent }), record };
  });
  write(c.name, { description: c.description, rules: c.rules, steps });
}

// Sampler vector (spec §5): the stream's first words and a full shuffle for a fixed key.
const key = new Uint8Array(32).map((_, i) => i);
const stream = new Stream(key);
const words = Array.from({ length: 20 }, () => stream.nextWord());
const uniforms = [1, 2, 3, 7, 10, 1000, 2 ** 31 + 1, 2 ** 32].map((m) => ({ m, value: new Stream(key).uniform(m) }));
const sh = new Shuffler(10, new Stream(key));
const shuffle = Array.from({ length: 10 }, () => sh.pick());
write('sampler', {
  description: 'suiji-draw/1 stream and sampler (spec §5) for key = 00 01 02 … 1f: first 20 words; uniform(m) as the first call on a fresh stream; the full Fisher–Yates order of n = 10.',
  key: Array.from(key, (b) => b.toString(16).padStart(2, '0')).join(''),
  words,
  uniforms,
  shuffle10: shuffle,
});
console.log(`wrote ${CASES.length + 1} vectors to ${dir}`);
