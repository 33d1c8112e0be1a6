/**
 * Strict readers for the commitment (spec §3) and revealed entropy (§4): shape, ranges and the
 * canonical-form rules that do not need the pools. Builders run their output through these too,
 * so a commitment we produce is always one a verifier accepts.
 */
import { canonicalize } from '../jcs.js';
import { ALGORITHM, checkId, compareIds } from './encoding.js';
import { fail } from './errors.js';
import { arr, hex, int, isObject, json, obj, oneOf, str, timestamp } from './guard.js';
import type {
  CeremonyPlan, ClassSpec, Commitment, DrandPlan, EntropyPlan, Exclusion, PoolRef, Quota, Recusal, Replacement,
  RevealedEntropy, WitnessPlan,
} from './record.js';
import { DRAND_CHAINS } from './entropy.js';

/** Spec §2.2: pools are indexed by u32; a shuffler needs n < 2^32 − 1. */
export const MAX_POOL = 2 ** 32 - 2;
const MAX_U32 = 2 ** 32 - 1;

function exclusions(v: unknown, path: string): Exclusion[] {
  const list = arr(v, path).map((e, i) => {
    const o = obj(e, `${path}[${i}]`, ['id', 'reason']);
    checkId(o.id, `${path}[${i}].id`);
    return { id: o.id, reason: str(o.reason, `${path}[${i}].reason`) };
  });
  for (let i = 1; i < list.length; i++) {
    if (compareIds(list[i - 1]!.id, list[i]!.id) >= 0) fail('MALFORMED', `${path}[${i}].id`, 'exclusions must be strictly ascending by id');
  }
  return list;
}

export function parsePoolRef(v: unknown, path: string): PoolRef {
  const o = obj(v, path, ['hash', 'size', 'exclusions']);
  return { hash: hex(o.hash, `${path}.hash`, 32), size: int(o.size, `${path}.size`, 0, MAX_POOL), exclusions: exclusions(o.exclusions, `${path}.exclusions`) };
}

function quota(v: unknown, path: string, size: number): Quota {
  const o = obj(v, path, ['count', 'ratio']);
  if ('count' in o === 'ratio' in o) fail('MALFORMED', path, 'quota has exactly one of count, ratio');
  if ('count' in o) {
    const count = int(o.count, `${path}.count`, 0, MAX_POOL);
    if (count > size) fail('QUOTA_INVALID', `${path}.count`, 'quota larger than the pool', `<= ${size}`, count);
    return { count };
  }
  const r = obj(o.ratio, `${path}.ratio`, ['numerator', 'denominator']);
  const denominator = int(r.denominator, `${path}.ratio.denominator`, 1, MAX_U32);
  const numerator = int(r.numerator, `${path}.ratio.numerator`, 0, MAX_U32);
  if (numerator > denominator) fail('QUOTA_INVALID', `${path}.ratio`, 'ratio above 1');
  return { ratio: { numerator, denominator } };
}

/** Spec §3.3: k = ceil(size × numerator / denominator), in exact integer arithmetic. */
export function quotaCount(q: Quota, size: number): number {
  if ('count' in q) return q.count;
  const { numerator, denominator } = q.ratio;
  return Number((BigInt(size) * BigInt(numerator) + BigInt(denominator) - 1n) / BigInt(denominator));
}

function parseDrand(v: unknown, path: string): DrandPlan {
  const o = obj(v, path, ['chainHash', 'round', 'fallbackRound']);
  const chainHash = hex(o.chainHash, `${path}.chainHash`, 32);
  if (!DRAND_CHAINS[chainHash]) fail('UNSUPPORTED_ALGORITHM', `${path}.chainHash`, 'unknown drand chain');
  const round = int(o.round, `${path}.round`, 1, Number.MAX_SAFE_INTEGER);
  if (o.fallbackRound === undefined) return { chainHash, round };
  const fallbackRound = int(o.fallbackRound, `${path}.fallbackRound`, round + 1, Number.MAX_SAFE_INTEGER);
  return { chainHash, round, fallbackRound };
}

function parseWitnesses(v: unknown, path: string): WitnessPlan {
  const o = obj(v, path, ['members', 'minReveals', 'onMissing']);
  const members = arr(o.members, `${path}.members`).map((m, i) => {
    const w = obj(m, `${path}.members[${i}]`, ['id', 'commitment']);
    return { id: str(w.id, `${path}.members[${i}].id`), commitment: hex(w.commitment, `${path}.members[${i}].commitment`, 32) };
  });
  if (members.length === 0) fail('MALFORMED', `${path}.members`, 'at least one witness');
  // Dedupe before counting (STYLE: never count duplicated evidence).
  if (new Set(members.map((m) => m.id)).size !== members.length) fail('MALFORMED', `${path}.members`, 'duplicate witness id');
  if (new Set(members.map((m) => m.commitment)).size !== members.length) fail('MALFORMED', `${path}.members`, 'duplicate witness commitment');
  const minReveals = int(o.minReveals, `${path}.minReveals`, 1, members.length);
  return { members, minReveals, onMissing: oneOf(o.onMissing, `${path}.onMissing`, ['proceed', 'abandon'] as const) };
}

function parseCeremony(v: unknown, path: string): CeremonyPlan {
  const o = obj(v, path, ['label', 'alphabet', 'length']);
  const alphabet = str(o.alphabet, `${path}.alphabet`);
  const chars = [...alphabet];
  if (chars.length < 2 || new Set(chars).size !== chars.length) fail('MALFORMED', `${path}.alphabet`, 'at least two distinct characters');
  return { label: str(o.label, `${path}.label`), alphabet, length: int(o.length, `${path}.length`, 1, 1024) };
}

function parseEntropy(v: unknown, path: string): EntropyPlan {
  const o = obj(v, path, ['drand', 'witnesses', 'ceremony']);
  if (o.drand === undefined && o.witnesses === undefined && o.ceremony === undefined) fail('MALFORMED', path, 'at least one entropy source');
  return {
    ...(o.drand !== undefined && { drand: parseDrand(o.drand, `${path}.drand`) }),
    ...(o.witnesses !== undefined && { witnesses: parseWitnesses(o.witnesses, `${path}.witnesses`) }),
    ...(o.ceremony !== undefined && { ceremony: parseCeremony(o.ceremony, `${path}.ceremony`) }),
  };
}

function parseClasses(v: unknown, path: string, batch: boolean): ClassSpec[] {
  const classes = arr(v, path).map((c, i) => {
    const p = `${path}[${i}]`;
    const o = obj(c, p, ['name', 'pool', 'quota']);
    const pool = parsePoolRef(o.pool, `${p}.pool`);
    if (batch !== (o.quota === undefined)) fail('MALFORMED', `${p}.quota`, batch ? 'batchOrder has no quota' : 'quota required');
    return { name: str(o.name, `${p}.name`), pool, ...(!batch && { quota: quota(o.quota, `${p}.quota`, pool.size) }) };
  });
  if (classes.length === 0) fail('MALFORMED', path, 'at least one class');
  if (new Set(classes.map((c) => c.name)).size !== classes.length) fail('MALFORMED', path, 'duplicate class name');
  return classes;
}

function parseRecusals(v: unknown, path: string): Recusal[] {
  const list = arr(v, path).map((r, i) => {
    const o = obj(r, `${path}[${i}]`, ['target', 'member']);
    checkId(o.target, `${path}[${i}].target`);
    checkId(o.member, `${path}[${i}].member`);
    return { target: o.target, member: o.member };
  });
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1]!;
    const b = list[i]!;
    const c = compareIds(a.target, b.target) || compareIds(a.member, b.member);
    if (c >= 0) fail('MALFORMED', `${path}[${i}]`, 'recusals must be strictly ascending by (target, member)');
  }
  return list;
}

function parseReplacements(v: unknown, path: string): Replacement[] {
  const list = arr(v, path).map((r, i) => {
    const p = `${path}[${i}]`;
    const o = obj(r, p, ['class', 'target', 'member', 'reason', 'approver']);
    if ((o.class === undefined) === (o.target === undefined)) fail('MALFORMED', p, 'exactly one of class, target');
    checkId(o.member, `${p}.member`);
    const target = o.target;
    if (target !== undefined) checkId(target, `${p}.target`);
    return {
      ...(o.class !== undefined && { class: str(o.class, `${p}.class`) }),
      ...(target !== undefined && { target }),
      member: o.member,
      reason: str(o.reason, `${p}.reason`),
      approver: str(o.approver, `${p}.approver`),
    };
  });
  if (list.length === 0) fail('MALFORMED', path, 'at least one replacement');
  return list;
}

const BASE = ['algorithm', 'drawId', 'task', 'purpose', 'kind', 'committedAt', 'source'] as const;

export function parseCommitment(v: unknown, path = 'commitment'): Commitment {
  if (!isObject(v)) fail('MALFORMED', path, 'expected an object');
  if (v.algorithm !== ALGORITHM) fail('UNSUPPORTED_ALGORITHM', `${path}.algorithm`, `expected ${ALGORITHM}`, ALGORITHM, v.algorithm);
  const kind = oneOf(v.kind, `${path}.kind`, ['targets', 'experts', 'batchOrder', 'inspectorGroups', 'extension', 'replacement'] as const);
  const extra: Record<typeof kind, readonly string[]> = {
    targets: ['classes', 'entropy'],
    experts: ['classes', 'entropy'],
    batchOrder: ['classes', 'entropy'],
    inspectorGroups: ['targets', 'inspectors', 'neighbours', 'recusals', 'groupSize', 'maxLoad', 'experts', 'entropy'],
    extension: ['parent', 'additional'],
    replacement: ['parent', 'replacements'],
  };
  const o = obj(v, path, [...BASE, ...extra[kind]]);
  const committedAt = str(o.committedAt, `${path}.committedAt`);
  timestamp(committedAt, `${path}.committedAt`);
  const src = obj(o.source, `${path}.source`, ['ledgerPosition', 'filter']);
  if (!('filter' in src)) fail('MALFORMED', `${path}.source.filter`, 'filter required (may be null)');
  const filter = json(src.filter, `${path}.source.filter`);
  try {
    canonicalize(filter);
  } catch {
    fail('MALFORMED', `${path}.source.filter`, 'filter is not JCS-encodable JSON (lone surrogate)');
  }
  const base = {
    algorithm: ALGORITHM,
    drawId: str(o.drawId, `${path}.drawId`),
    task: str(o.task, `${path}.task`),
    purpose: str(o.purpose, `${path}.purpose`),
    committedAt,
    source: { ledgerPosition: str(src.ledgerPosition, `${path}.source.ledgerPosition`), filter },
  } as const;
  switch (kind) {
    case 'targets':
    case 'experts':
    case 'batchOrder':
      return { ...base, kind, classes: parseClasses(o.classes, `${path}.classes`, kind === 'batchOrder'), entropy: parseEntropy(o.entropy, `${path}.entropy`) };
    case 'inspectorGroups': {
      const t = obj(o.targets, `${path}.targets`, ['hash', 'size', 'from']);
      let experts;
      if (o.experts !== undefined) {
        const e = obj(o.experts, `${path}.experts`, ['pool', 'perTarget', 'maxLoad']);
        experts = { pool: parsePoolRef(e.pool, `${path}.experts.pool`), perTarget: int(e.perTarget, `${path}.experts.perTarget`, 1, 1000), maxLoad: int(e.maxLoad, `${path}.experts.maxLoad`, 1, MAX_U32) };
      }
      return {
        ...base,
        kind,
        targets: {
          hash: hex(t.hash, `${path}.targets.hash`, 32),
          size: int(t.size, `${path}.targets.size`, 0, MAX_POOL),
          ...(t.from !== undefined && { from: hex(t.from, `${path}.targets.from`, 32) }),
        },
        inspectors: parsePoolRef(o.inspectors, `${path}.inspectors`),
        ...(o.neighbours !== undefined && { neighbours: parsePoolRef(o.neighbours, `${path}.neighbours`) }),
        recusals: parseRecusals(o.recusals, `${path}.recusals`),
        // T7: a group has at least two inspectors.
        groupSize: int(o.groupSize, `${path}.groupSize`, 2, 1000),
        maxLoad: int(o.maxLoad, `${path}.maxLoad`, 1, MAX_U32),
        ...(experts && { experts }),
        entropy: parseEntropy(o.entropy, `${path}.entropy`),
      };
    }
    case 'extension': {
      const additional = arr(o.additional, `${path}.additional`).map((a, i) => {
        const x = obj(a, `${path}.additional[${i}]`, ['class', 'count']);
        return { class: str(x.class, `${path}.additional[${i}].class`), count: int(x.count, `${path}.additional[${i}].count`, 1, MAX_POOL) };
      });
      if (additional.length === 0 || new Set(additional.map((a) => a.class)).size !== additional.length) {
        fail('MALFORMED', `${path}.additional`, 'one or more distinct classes');
      }
      return { ...base, kind, parent: hex(o.parent, `${path}.parent`, 32), additional };
    }
    case 'replacement':
      return { ...base, kind, parent: hex(o.parent, `${path}.parent`, 32), replacements: parseReplacements(o.replacements, `${path}.replacements`) };
  }
}

export function parseRevealed(v: unknown, path = 'revealed'): RevealedEntropy {
  const o = obj(v, path, ['drand', 'witnesses', 'ceremony']);
  const out: { -readonly [K in keyof RevealedEntropy]: RevealedEntropy[K] } = {};
  if (o.drand !== undefined) {
    const d = obj(o.drand, `${path}.drand`, ['round', 'signature', 'randomness']);
    out.drand = { round: int(d.round, `${path}.drand.round`, 1, Number.MAX_SAFE_INTEGER), signature: hex(d.signature, `${path}.drand.signature`, 48), randomness: hex(d.randomness, `${path}.drand.randomness`, 32) };
  }
  if (o.witnesses !== undefined) {
    out.witnesses = arr(o.witnesses, `${path}.witnesses`).map((w, i) => {
      const x = obj(w, `${path}.witnesses[${i}]`, ['id', 'secret']);
      const secret = x.secret === null ? null : str(x.secret, `${path}.witnesses[${i}].secret`);
      return { id: str(x.id, `${path}.witnesses[${i}].id`), secret };
    });
  }
  if (o.ceremony !== undefined) {
    const c = obj(o.ceremony, `${path}.ceremony`, ['value']);
    if (typeof c.value !== 'string') fail('MALFORMED', `${path}.ceremony.value`, 'expected a string');
    out.ceremony = { value: c.value };
  }
  return out;
}
