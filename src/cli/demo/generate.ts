import type { Actor } from '../../domain/actor.js';
import type { CommandMetadata } from '../../domain/decider.js';
import { failedIndicator, type InspectorRecord, type RegisterCommand, type TargetRecord } from '../../domain/registers/index.js';
import { organisationCodeValid, USCC_ALPHABET, usccCheckChar } from '../../domain/uscc.js';
import { DemoRandom } from './prng.js';
import {
  BUREAU,
  COUNTY_CODE,
  departments,
  ENFORCEMENT,
  expertiseFields,
  givenNames,
  industries,
  itemListV1,
  itemListV2,
  shopWords,
  specialRegisters,
  surnames,
  towns,
  type IndustryProfile,
} from './yiyuan.js';

export interface DemoOptions {
  readonly seed: number;
  /** Default 60,000. */
  readonly targets?: number;
  /** Default 40. */
  readonly inspectors?: number;
  /** Metadata time of every command. Default 2026-01-05T01:00:00.000Z. */
  readonly now?: string;
}

export interface DemoData {
  /** In execution order: organisation, item list, special registers, targets (+ admissions), inspectors, experts. */
  readonly commands: readonly RegisterCommand[];
  readonly counts: {
    readonly departments: number;
    readonly users: number;
    readonly itemListVersions: number;
    readonly specialRegisters: number;
    readonly targets: number;
    readonly admissions: number;
    readonly inspectors: number;
    readonly conflicts: number;
    readonly experts: number;
  };
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
/** GB 11714 organisation-code check character, so demo codes pass both checks (positions 9–17 and 18). */
function orgCheck(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i]!;
    sum += (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55) * ORG_WEIGHTS[i]!;
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

const ENTITY_PREFIX = { enterprise: '91', individualBusiness: '92', farmerCooperative: '93', other: '91' } as const;

function makeUscc(rng: DemoRandom, entityType: TargetRecord['entityType']): string {
  const lead = entityType === 'individualBusiness' ? 'L' : 'MA';
  let body = lead;
  while (body.length < 8) body += USCC_ALPHABET[rng.int(USCC_ALPHABET.length)]!;
  const first17 = `${ENTITY_PREFIX[entityType]}${COUNTY_CODE}${body}${orgCheck(body)}`;
  return first17 + usccCheckChar(first17);
}

const personName = (rng: DemoRandom): string => rng.pick(surnames) + rng.pick(givenNames) + (rng.chance(0.6) ? rng.pick(givenNames) : '');

function target(rng: DemoRandom, used: Set<string>): TargetRecord {
  const ind: IndustryProfile = rng.weighted(industries.map((i) => [i, i.weight] as const));
  const enterprise = rng.chance(ind.enterpriseShare);
  const entityType: TargetRecord['entityType'] = enterprise ? (rng.chance(0.03) ? 'farmerCooperative' : 'enterprise') : rng.chance(0.01) ? 'other' : 'individualBusiness';
  let uscc = makeUscc(rng, entityType);
  while (used.has(uscc)) uscc = makeUscc(rng, entityType);
  used.add(uscc);
  const region = rng.weighted(towns);
  const scale: TargetRecord['scale'] = enterprise ? rng.weighted([['micro', 50], ['small', 35], ['medium', 12], ['large', 3]] as const) : 'micro';
  const riskLevel = rng.weighted([['A', 40], ['B', 35], ['C', 18], ['D', 7]] as const);
  const creditLevel = rng.weighted([['A', 45], ['B', 35], ['C', 15], ['D', 5]] as const);
  const complaintCount = rng.weighted([[0, 85], [1, 10], [2, 3], [3, 1], [5, 0.7], [9, 0.3]] as const);
  const word = rng.pick(shopWords);
  const place = region.replace(/(街道|镇)$/, '');
  const name = enterprise ? `沂源县${word}${rng.pick(ind.suffixes)}` : `沂源县${place}${word}${rng.pick(ind.suffixes)}`;
  return {
    uscc,
    name: `${name}${rng.chance(0.3) ? `（${rng.int(90) + 10}号）` : ''}`,
    entityType,
    scale,
    industry: ind.code,
    region,
    jurisdiction: ind.jurisdiction,
    riskLevel,
    creditLevel,
    flags: { dishonest: creditLevel === 'D' ? rng.chance(0.3) : rng.chance(0.005), abnormalOperation: rng.chance(0.04), keyIndustry: ind.key, complaintCount },
    status: rng.weighted([['active', 92], ['deregistered', 4], ['revoked', 0.5], ['licenceRevoked', 1], ['unreachable', 2], ['movedOut', 0.5]] as const),
  };
}

/** Deterministic demo county: same seed, same commands (the bytes of every command are equal). */
export function generateDemo(options: DemoOptions): DemoData {
  const rng = new DemoRandom(options.seed);
  const now = options.now ?? '2026-01-05T01:00:00.000Z';
  const nTargets = options.targets ?? 60_000;
  const nInspectors = options.inspectors ?? 40;
  let n = 0;
  const meta = (actor: Actor): CommandMetadata => ({ actor, now, commandId: `demo-${options.seed}-${++n}` });
  const admin: Actor = { userId: 'yy-admin', role: 'admin', department: BUREAU };
  const operator = (department: string): Actor => ({ userId: `${department}-op`, role: 'operator', department });
  const commands: RegisterCommand[] = [];

  for (const d of departments) commands.push({ type: 'RegisterDepartment', data: d, metadata: meta(admin) });
  const users: RegisterCommand[] = [
    { type: 'RegisterUser', data: { userId: admin.userId, name: '系统管理员', role: 'admin', department: BUREAU }, metadata: meta(admin) },
    { type: 'RegisterUser', data: { userId: 'yy-audit', name: '审计员', role: 'auditor', department: BUREAU }, metadata: meta(admin) },
  ];
  for (const d of departments.slice(1)) {
    users.push({ type: 'RegisterUser', data: { userId: `${d.departmentId}-op`, name: `${personName(rng)}`, role: 'operator', department: d.departmentId }, metadata: meta(admin) });
    users.push({ type: 'RegisterUser', data: { userId: `${d.departmentId}-pr`, name: `${personName(rng)}`, role: 'principal', department: d.departmentId }, metadata: meta(admin) });
  }
  // The bureau's own staff (fixed names: the generator's stream, hence every target, stays as it was):
  // its operator publishes the list, its principal acknowledges the offices' plans (PL1).
  users.push({ type: 'RegisterUser', data: { userId: `${BUREAU}-op`, name: '宋立新', role: 'operator', department: BUREAU }, metadata: meta(admin) });
  users.push({ type: 'RegisterUser', data: { userId: `${BUREAU}-pr`, name: '翟建国', role: 'principal', department: BUREAU }, metadata: meta(admin) });
  commands.push(...users);

  // 指引（八）: one unified list for the county commerce system, published by the bureau.
  commands.push({ type: 'PublishItemList', data: { departmentId: BUREAU, items: [...itemListV1], reason: '依据省厅、市局随机抽查事项清单编制' }, metadata: meta(operator(BUREAU)) });
  commands.push({ type: 'PublishItemList', data: { departmentId: BUREAU, items: [...itemListV2], reason: '依据市局2026年抽查事项清单动态调整' }, metadata: meta(operator(BUREAU)) });

  for (const r of specialRegisters) commands.push({ type: 'DefineSpecialRegister', data: r, metadata: meta(operator(r.department)) });

  const used = new Set<string>();
  const allTargets: TargetRecord[] = [];
  let admissions = 0;
  for (let i = 0; i < nTargets; i++) {
    const t = target(rng, used);
    allTargets.push(t);
    commands.push({ type: 'RegisterTarget', data: t, metadata: meta(operator(t.jurisdiction)) });
    if (t.status !== 'active') continue;
    for (const r of specialRegisters) {
      if (failedIndicator(t, r.standard.indicators) !== null) continue;
      commands.push({ type: 'AdmitTargetToSpecialRegister', data: { uscc: t.uscc, registerId: r.registerId, standard: { version: 1, indicators: r.standard.indicators } }, metadata: meta(operator(t.jurisdiction)) });
      admissions++;
    }
  }

  // L3: most inspectors sit in the enforcement unit; a few expired or inactive ones make T9 visible.
  // Owners cycle by number, not by the generator: every county size gets the same register, with
  // groups of two for each office of the demo year (qualified in 2026: enforcement 16, market 7,
  // circulation 6, e-commerce 4).
  const [market, circulation, ecommerce] = [departments[1]!.departmentId, departments[2]!.departmentId, departments[5]!.departmentId];
  const owners = [ENFORCEMENT, market, ENFORCEMENT, circulation, ENFORCEMENT, market, ENFORCEMENT, circulation, ENFORCEMENT, ecommerce];
  const inspectors: InspectorRecord[] = [];
  for (let i = 1; i <= nInspectors; i++) {
    const fromYear = 2021 + rng.int(5);
    const expired = i % 13 === 0;
    const name = personName(rng);
    rng.pick(owners); // the former draw of the owner, kept so the stream (names, dates, conflicts) is unchanged
    const inspector: InspectorRecord = {
      inspectorId: `YY${String(i).padStart(3, '0')}`,
      name,
      department: owners[(i - 1) % owners.length]!,
      qualification: { number: `鲁执${COUNTY_CODE}${String(1000 + i)}`, validFrom: `${fromYear}-0${1 + rng.int(9)}-01`, validTo: expired ? '2025-12-31' : `${fromYear + 5}-12-31` },
      expertise: [...new Set([rng.pick(expertiseFields), rng.pick(expertiseFields)])].sort(),
      region: rng.weighted(towns),
      status: i % 17 === 0 ? 'suspended' : i % 19 === 0 ? 'left' : 'active',
    };
    inspectors.push(inspector);
    commands.push({ type: 'RegisterInspector', data: inspector, metadata: meta(operator(inspector.department)) });
  }
  // T10: a few declared conflicts of interest.
  let conflicts = 0;
  // `--targets 0` (departments and people only, e.g. before importing a register) declares none.
  for (const inspector of allTargets.length === 0 ? [] : inspectors.filter((_, k) => k % 8 === 3)) {
    const t = rng.pick(allTargets);
    commands.push({ type: 'DeclareInspectorConflict', data: { inspectorId: inspector.inspectorId, uscc: t.uscc, reason: '近亲属为该主体经营者' }, metadata: meta(operator(inspector.department)) });
    conflicts++;
  }

  const experts = [
    ['淄博市特种设备检验研究院', '高级工程师', ['成品油', '危险化学品']],
    ['山东理工大学交通与车辆工程学院', '副教授', ['报废机动车', '二手车']],
    ['淄博市计量技术研究院', '工程师', ['成品油', '计量器具']],
    ['沂源县消防救援大队', '高级专业技术职务', ['消防安全']],
    ['山东某会计师事务所', '注册会计师', ['单用途预付卡', '财务审计']],
  ] as const;
  experts.forEach(([organisation, title, expertise], k) => {
    commands.push({
      type: 'RegisterExpert',
      data: { expertId: `YYE${String(k + 1).padStart(2, '0')}`, name: personName(rng), department: departments[2]!.departmentId, expertise: [...expertise], organisation, title, region: '淄博市', status: 'active' },
      metadata: meta(operator(departments[2]!.departmentId)),
    });
  });

  return {
    commands,
    counts: {
      departments: departments.length,
      users: users.length,
      itemListVersions: 2,
      specialRegisters: specialRegisters.length,
      targets: nTargets,
      admissions,
      inspectors: nInspectors,
      conflicts,
      experts: experts.length,
    },
  };
}

/** Sanity helper for tests and the CLI: every generated code passes both GB checks. */
export const demoCodesValid = (usccs: readonly string[]): boolean => usccs.every((u) => usccCheckChar(u.slice(0, 17)) === u[17] && organisationCodeValid(u));

/**
 * Demo-like targets one at a time, for benchmarks at register sizes (10^6) where holding a
 * command per target would dominate memory. Same distributions as `generateDemo`, own stream.
 */
export function* demoTargets(seed: number, count: number): Generator<TargetRecord> {
  const rng = new DemoRandom(seed);
  const used = new Set<string>();
  for (let i = 0; i < count; i++) yield target(rng, used);
}
