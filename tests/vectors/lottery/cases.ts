/**
 * The inputs of the lottery test vectors (docs/lottery-spec.md §10). generate.ts turns each case
 * into tests/vectors/lottery/<name>.json; tests/verify/lottery/vectors.test.ts replays the inputs
 * and compares with the committed JSON, so any behaviour change fails a test.
 */
import type { CommitInput, DrawRecord, EntropyPlan, RevealedEntropy } from '../../../src/verify/index.js';
import { QUICKNET_CHAIN_HASH, witnessCommitment } from '../../../src/verify/index.js';
import drand from './drand-quicknet.json' with { type: 'json' };

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W18 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const W9 = [3, 7, 9, 10, 5, 8, 4, 2];

/** A GB 32100-2015-valid credit code for Yiyuan county (370323) with an 8-digit serial. */
export function uscc(serial: number, kind = '91'): string {
  const org8 = String(serial).padStart(8, '0');
  let s = 0;
  for (let i = 0; i < 8; i++) s += Number(org8[i]) * W9[i]!;
  const oc = 11 - (s % 11);
  const body = `${kind}370323${org8}${oc === 10 ? 'X' : oc === 11 ? '0' : String(oc)}`;
  let t = 0;
  for (let i = 0; i < 17; i++) t += CHARSET.indexOf(body[i]!) * W18[i]!;
  const c = 31 - (t % 31);
  return body + CHARSET[c === 31 ? 0 : c]!;
}

const range = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => uscc(from + i));

export const round = (r: number): { round: number; signature: string; randomness: string } => {
  const found = drand.rounds.find((x) => x.round === r);
  if (!found) throw new Error(`no vector for round ${r}`);
  return found;
};

/** 84 s before round 1000 of quicknet (2023-08-23T15:59:24Z): every vector round is in the future. */
const committedAt = '2023-08-23T15:58:00Z';
const base = (drawId: string, purpose: string) => ({
  drawId,
  task: 'task-2023-yiyuan-food-001',
  purpose,
  committedAt,
  source: { ledgerPosition: '1842', filter: { register: 'comprehensive', region: '370323', industry: ['F52', 'H62'] } },
});
const drandPlan = (r: number, fallbackRound?: number): EntropyPlan['drand'] => ({ chainHash: QUICKNET_CHAIN_HASH, round: r, ...(fallbackRound && { fallbackRound }) });

const SECRETS = ['赵见证人-2023-0823-b7f1c9e2a4d6', 'witness-qian-5f0e9d8c7b6a5f4e3d2c', 'witness-sun-0b1c2d3e4f5a6b7c8d9e'];
const witnesses = (onMissing: 'proceed' | 'abandon', minReveals: number) => ({
  members: SECRETS.map((s, i) => ({ id: ['zhao', 'qian', 'sun'][i]!, commitment: witnessCommitment(s) })),
  minReveals,
  onMissing,
});

export interface Step {
  /** Built from the records of the earlier steps of the same case. */
  readonly input: (earlier: readonly DrawRecord[]) => CommitInput;
  readonly revealed?: RevealedEntropy;
  /** Index of the earlier step whose record is this follow-up's parent. */
  readonly parent?: number;
}
export interface Case {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly string[];
  readonly steps: readonly Step[];
}

const targetsSingle: Step = {
  input: () => ({ ...base('draw-0001', '2023 food retail random inspection'), kind: 'targets', classes: [{ name: 'all', pool: { members: range(1, 20).reverse() }, quota: { ratio: { numerator: 1, denominator: 4 } } }], entropy: { drand: drandPlan(1000) } }),
  revealed: { drand: round(1000) },
};

const multiClass: Step = {
  input: () => ({
    ...base('draw-0002', '2023 food retail, classes by risk'),
    kind: 'targets',
    classes: [
      { name: 'high-risk', pool: { members: range(100, 7) }, quota: { ratio: { numerator: 1, denominator: 3 } } },
      {
        name: 'general',
        pool: { members: range(200, 30), exclusions: [{ id: uscc(211), reason: 'G2: under a complaint inspection' }, { id: uscc(203), reason: 'PL5: drawn twice in 2023' }] },
        quota: { ratio: { numerator: 1, denominator: 20 } },
      },
      { name: 'dishonest', pool: { members: range(300, 4) }, quota: { count: 0 } },
    ],
    entropy: { drand: drandPlan(1001), witnesses: witnesses('proceed', 2) },
  }),
  revealed: { drand: round(1001), witnesses: [{ id: 'zhao', secret: SECRETS[0]! }, { id: 'qian', secret: null }, { id: 'sun', secret: SECRETS[2]! }] },
};

const extension: Step = {
  input: ([prev]) => ({ ...base('draw-0002-x1', '2023 food retail, classes by risk'), kind: 'extension', parent: prev!.commitmentHash, additional: [{ class: 'general', count: 2 }] }),
  parent: 0,
};

/** Names in NFD and NFC, Chinese, Hangul, a supplementary-plane ideograph (U+20000) and U+FF01. */
const unicodeNames = ['张三食品店', '李四超市', 'Café Zhōu'.normalize('NFD'), '한국식품'.normalize('NFD'), '𠀀记茶行', '！号便利店', '王五粮油', 'Zoë Bakery'];

const ceremony = { label: '公证处掷骰 (notary dice, 20 throws)', alphabet: '123456', length: 20 };

const selectedOf = (r: DrawRecord, i: number): string => {
  const res = r.result;
  if (!('classes' in res)) throw new Error('not a class draw');
  return res.classes[0]!.selected[i]!;
};

const groups: Step = {
  input: (earlier) => {
    const targetDraw = earlier[1]!;
    if (!('merged' in targetDraw.result)) throw new Error('not a class draw');
    const targets = targetDraw.result.merged;
    return {
      ...base('draw-0010', 'inspector matching for draw-0002'),
      kind: 'inspectorGroups',
      targets,
      targetsFrom: targetDraw.commitmentHash,
      inspectors: { members: ['insp-07', 'insp-06', 'insp-05', 'insp-04', 'insp-03', 'insp-02', 'insp-01'], exclusions: [{ id: 'insp-08', reason: 'L3: qualification expired 2023-06-30' }] },
      neighbours: { members: ['nb-11', 'nb-12', 'nb-13', 'nb-14'] },
      recusals: [
        { target: targets[0]!, member: 'insp-02' },
        { target: targets[0]!, member: 'insp-01' },
        { target: targets[1]!, member: 'insp-03' },
        { target: targets[3]!, member: 'nb-12' },
      ],
      groupSize: 2,
      maxLoad: 1,
      experts: { pool: { members: ['expert-chen', 'expert-liu', 'expert-ma'] }, perTarget: 2, maxLoad: 3 },
      entropy: { drand: drandPlan(1003), ceremony },
    };
  },
  revealed: { drand: round(1003), ceremony: { value: '62514362514362514361' } },
};

const groupReplacement: Step = {
  input: (earlier) => {
    const g = earlier[2]!;
    if (!('groups' in g.result)) throw new Error('not a group draw');
    const first = g.result.groups[0]!;
    const joint = g.result.groups.filter((x) => x.pool === 'joint').at(-1)!;
    return {
      ...base('draw-0010-r1', 'inspector matching for draw-0002'),
      kind: 'replacement',
      parent: g.commitmentHash,
      replacements: [
        { target: first.target, member: first.leader!, reason: 'T10: health', approver: 'director-wang' },
        { target: first.target, member: first.experts[0]!, reason: 'T10: work conflict', approver: 'director-wang' },
        { target: joint.target, member: joint.leader!, reason: 'T10: post change', approver: 'director-wang' },
      ],
    };
  },
  parent: 2,
};

export const CASES: readonly Case[] = [
  { name: 'targets-single-class', description: 'One class, ratio 1/4 of 20 (ceil → 5), drand round 1000; pool given in reverse order.', rules: ['V1', 'V2', 'V5', 'T3'], steps: [targetsSingle] },
  {
    name: 'targets-multi-class',
    description: 'Three classes: ratio 1/3 of 7 (→ 3), ratio 1/20 of 28 after 2 exclusions (→ 2), count 0; drand + witnesses with one missing (proceed, minReveals 2).',
    rules: ['T3', 'PL4', 'PL5', 'V2', 'V3'],
    steps: [multiClass],
  },
  {
    name: 'pool-of-one',
    description: 'A pool of one member, count 1, ceremony entropy only.',
    rules: ['V5'],
    steps: [{ input: () => ({ ...base('draw-0003', 'single licensee'), kind: 'targets', classes: [{ name: 'only', pool: { members: [uscc(400)] }, quota: { count: 1 } }], entropy: { ceremony } }), revealed: { ceremony: { value: '31415621535631415623' } } }],
  },
  {
    name: 'unicode-ids',
    description: 'Ids with Chinese, NFD input (normalised to NFC), Hangul, U+20000 vs U+FF01 (UTF-8 order differs from UTF-16 order); all three witnesses reveal.',
    rules: ['V4', 'V5'],
    steps: [
      {
        input: () => ({ ...base('draw-0004', 'named stalls'), kind: 'targets', classes: [{ name: 'stalls', pool: { members: unicodeNames }, quota: { count: 3 } }], entropy: { witnesses: witnesses('abandon', 3) } }),
        revealed: { witnesses: SECRETS.map((s, i) => ({ id: ['zhao', 'qian', 'sun'][i]!, secret: s })) },
      },
    ],
  },
  {
    name: 'batch-order',
    description: 'L2: a key item at a high ratio fixes a random order over all 12 targets.',
    rules: ['L2', 'V5'],
    steps: [{ input: () => ({ ...base('draw-0005', 'key item batch order'), kind: 'batchOrder', classes: [{ name: 'key', pool: { members: range(500, 12) } }], entropy: { drand: drandPlan(1002) } }), revealed: { drand: round(1002) } }],
  },
  {
    name: 'drand-fallback',
    description: 'Experts draw; planned round 1004 with fallback round 1005 (the laterRound rule); the record uses 1005.',
    rules: ['L5', 'V2', 'V3'],
    steps: [{ input: () => ({ ...base('draw-0006', 'fallback round'), kind: 'experts', classes: [{ name: 'food-safety-experts', pool: { members: ['expert-chen', 'expert-liu', 'expert-ma', 'expert-wu', 'expert-xu'] }, quota: { count: 2 } }], entropy: { drand: drandPlan(1004, 1005) } }), revealed: { drand: round(1005) } }],
  },
  {
    name: 'replacement-class',
    description: 'Replacement in a class draw: the next member of the class shuffle takes the replaced slot.',
    rules: ['T10', 'V1', 'V3'],
    steps: [
      targetsSingle,
      {
        input: ([prev]) => ({ ...base('draw-0001-r1', '2023 food retail random inspection'), kind: 'replacement', parent: prev!.commitmentHash, replacements: [{ class: 'all', member: selectedOf(prev!, 1), reason: 'moved out of the county (E8)', approver: 'chief-li' }] }),
        parent: 0,
      },
    ],
  },
  { name: 'extension', description: 'Extension: two more picks of class "general" continue its shuffle.', rules: ['T3', 'V3'], steps: [multiClass, extension] },
  {
    name: 'inspector-groups',
    description: 'Targets from draw-0002 + its extension (7); 7 local inspectors (1 more excluded), 4 neighbours, recusals, group size 2, load cap 1 → local, then joint (T8), then unmatched; 3 experts, 2 per target, cap 3; then the first leader and expert are replaced (T10).',
    rules: ['T7', 'T8', 'T9', 'T10', 'L5', 'V1'],
    steps: [multiClass, extension, groups, groupReplacement],
  },
];
