import type { FromSchema } from 'json-schema-to-ts';
import { compileValidator, syncInspectorSchema } from '../../domain/registers/index.js';
import type { ImportKind } from './kind.js';
import { personStatusLabels } from './labels.js';
import { departmentLabel } from './row-parser.js';

export type InspectorRow = FromSchema<typeof syncInspectorSchema>;

/** The inspector register's columns as bureaus name them (docs/registers.md). */
export const INSPECTOR_COLUMNS = {
  inspectorId: '执法人员编号',
  name: '姓名',
  department: '所属部门',
  number: '执法证号',
  validFrom: '资格有效期起',
  validTo: '资格有效期止',
  expertise: '专业领域',
  region: '所属区域',
  status: '状态',
} as const;

const C = INSPECTOR_COLUMNS;
const validate = compileValidator<InspectorRow>(syncInspectorSchema, 'inspector row');

export const inspectorImport: ImportKind<InspectorRow> = {
  kind: 'inspectors',
  headers: Object.values(C),
  columnOf: { inspectorId: C.inspectorId, name: C.name, department: C.department, qualification: C.number, expertise: C.expertise, region: C.region, status: C.status },
  ownerColumn: C.department,
  parse(p) {
    const validFrom = p.date(C.validFrom);
    const validTo = p.date(C.validTo);
    // L3: checked here too so the row error names the column, not only the decider's field.
    if (p.errors.length === 0 && validFrom > validTo) p.fail(C.validTo, 'L3：资格有效期止早于有效期起', 'L3: qualification ends before it starts');
    return {
      inspectorId: p.pattern(C.inspectorId, /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, '只能含字母、数字、点、下划线和连字符', 'may contain letters, digits, dot, underscore and hyphen only'),
      name: p.text(C.name),
      department: p.department(C.department),
      qualification: { number: p.text(C.number), validFrom, validTo },
      expertise: p.list(C.expertise),
      region: p.text(C.region, 64),
      status: p.oneOf(C.status, personStatusLabels),
    };
  },
  validate,
  key: (d) => d.inspectorId,
  command: (data, metadata) => ({ type: 'SyncInspector', data, metadata }),
  format: (d, departments) => [
    d.inspectorId,
    d.name,
    departmentLabel(d.department, departments),
    d.qualification.number,
    d.qualification.validFrom,
    d.qualification.validTo,
    d.expertise.join('、'),
    d.region,
    personStatusLabels[d.status],
  ],
};
