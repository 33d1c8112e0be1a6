import type { FromSchema } from 'json-schema-to-ts';
import { compileValidator, levels, syncTargetSchema } from '../../domain/registers/index.js';
import type { ImportKind } from './kind.js';
import { entityTypeLabels, NO, scaleLabels, targetStatusLabels, YES } from './labels.js';
import { departmentLabel } from './row-parser.js';

export type TargetRow = FromSchema<typeof syncTargetSchema>;

/** The comprehensive register's columns as bureaus name them (docs/registers.md). */
export const TARGET_COLUMNS = {
  uscc: '统一社会信用代码',
  name: '主体名称',
  entityType: '主体类型',
  scale: '经营规模',
  industry: '行业代码',
  region: '所属区域',
  jurisdiction: '管辖部门',
  riskLevel: '风险等级',
  creditLevel: '信用等级',
  dishonest: '失信',
  abnormalOperation: '经营异常',
  keyIndustry: '重点行业',
  complaintCount: '投诉次数',
  status: '状态',
} as const;

const C = TARGET_COLUMNS;
const levelLabels = Object.fromEntries(levels.map((l) => [l, l])) as Record<(typeof levels)[number], string>;
const validate = compileValidator<TargetRow>(syncTargetSchema, 'target row');

export const targetImport: ImportKind<TargetRow> = {
  kind: 'targets',
  headers: Object.values(C),
  columnOf: { ...C, flags: C.dishonest },
  ownerColumn: C.jurisdiction,
  parse(p) {
    return {
      uscc: p.uscc(C.uscc),
      name: p.text(C.name),
      entityType: p.oneOf(C.entityType, entityTypeLabels),
      scale: p.oneOf(C.scale, scaleLabels),
      industry: p.pattern(C.industry, /^[A-T][0-9]{2,4}$/, '应为国民经济行业分类代码，如 F5265', 'must be a GB/T 4754 code such as F5265'),
      region: p.text(C.region, 64),
      jurisdiction: p.department(C.jurisdiction),
      riskLevel: p.oneOf(C.riskLevel, levelLabels),
      creditLevel: p.oneOf(C.creditLevel, levelLabels),
      flags: {
        dishonest: p.flag(C.dishonest),
        abnormalOperation: p.flag(C.abnormalOperation),
        keyIndustry: p.flag(C.keyIndustry),
        complaintCount: p.count(C.complaintCount),
      },
      status: p.oneOf(C.status, targetStatusLabels),
    };
  },
  validate,
  key: (d) => d.uscc,
  command: (data, metadata) => ({ type: 'SyncTarget', data, metadata }),
  format(d, departments) {
    const yn = (b: boolean): string => (b ? YES : NO);
    return [
      d.uscc,
      d.name,
      entityTypeLabels[d.entityType],
      scaleLabels[d.scale],
      d.industry,
      d.region,
      departmentLabel(d.jurisdiction, departments),
      d.riskLevel,
      d.creditLevel,
      yn(d.flags.dishonest),
      yn(d.flags.abnormalOperation),
      yn(d.flags.keyIndustry),
      String(d.flags.complaintCount),
      targetStatusLabels[d.status],
    ];
  },
};
