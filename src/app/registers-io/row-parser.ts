import { usccProblem } from '../../domain/uscc.js';
import { fromLabel, LIST_SEPARATOR, NO, YES } from './labels.js';

/** One problem in one row, bilingual (Chinese first), naming the spreadsheet column. */
export interface RowError {
  readonly row: number;
  /** The Chinese column header, or null for a row-level problem. */
  readonly column: string | null;
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly value?: string;
}

export interface DepartmentName {
  readonly departmentId: string;
  readonly name: string;
}

/**
 * Reads typed values out of one row's cells, collecting every problem (not only the first)
 * so an operator can fix a row in one go. On error a typed placeholder is returned; the
 * caller discards the row when `errors` is not empty.
 */
export class RowParser {
  readonly errors: RowError[] = [];
  constructor(
    readonly row: number,
    private readonly cells: Readonly<Record<string, string>>,
    private readonly departments: readonly DepartmentName[] | undefined,
  ) {}

  fail(column: string | null, zh: string, en: string, code = 'VALIDATION_FAILED'): void {
    const value = column === null ? undefined : this.cells[column];
    this.errors.push({ row: this.row, column, code, messageZh: zh, messageEn: en, ...(value !== undefined ? { value } : {}) });
  }

  /**
   * A leading apostrophe guards a formula-like cell against spreadsheet formula injection
   * (see export.ts); it is not part of the value.
   */
  raw(column: string): string {
    const v = this.cells[column] ?? '';
    return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
  }

  text(column: string, max = 200): string {
    const v = this.raw(column);
    if (v === '') this.fail(column, `${column}不能为空`, `${column} is required`);
    else if (v.length > max) this.fail(column, `${column}超过${max}字`, `${column} is longer than ${max} characters`);
    return v;
  }

  /** L6: the code as written; lower case is refused, not normalised (see src/domain/uscc.ts). */
  uscc(column: string): string {
    const v = this.raw(column);
    const p = usccProblem(v);
    if (p) {
      const zh = { type: '不是文本', length: '必须为18位', lowercase: '含小写字母，请使用大写', character: '含非法字符', checkCharacter: '校验码错误' }[p.problem];
      const en = { type: 'is not text', length: 'must have 18 characters', lowercase: 'contains lower case; use upper case', character: 'contains an invalid character', checkCharacter: 'has a wrong check character' }[p.problem];
      this.fail(column, `L6：统一社会信用代码${zh}${p.position ? `（第${p.position}位）` : ''}`, `L6: the credit code ${en}${p.position ? ` (position ${p.position})` : ''}`);
    }
    return v;
  }

  oneOf<K extends string>(column: string, labels: Record<K, string>): K {
    const v = this.raw(column);
    const k = fromLabel(labels, v);
    if (k === undefined) {
      const allowed = Object.values<string>(labels).join('、');
      this.fail(column, `${column}应为：${allowed}`, `${column} must be one of: ${allowed}`);
      return Object.keys(labels)[0] as K;
    }
    return k;
  }

  /** 是/否; an empty cell is 否 (bureaus leave flags blank). */
  flag(column: string): boolean {
    const v = this.raw(column);
    if (v === YES || v === '1') return true;
    if (v === NO || v === '0' || v === '') return false;
    this.fail(column, `${column}应为“是”或“否”`, `${column} must be 是 (yes) or 否 (no)`);
    return false;
  }

  /** A non-negative integer; an empty cell is 0. */
  count(column: string): number {
    const v = this.raw(column);
    if (v === '') return 0;
    if (!/^\d{1,7}$/.test(v)) {
      this.fail(column, `${column}应为非负整数`, `${column} must be a non-negative integer`);
      return 0;
    }
    return Number(v);
  }

  pattern(column: string, re: RegExp, zh: string, en: string): string {
    const v = this.raw(column);
    if (!re.test(v)) this.fail(column, `${column}${zh}`, `${column} ${en}`);
    return v;
  }

  /** YYYY-MM-DD, also accepting YYYY/M/D and YYYY.M.D as Excel users type them; must be a real date. */
  date(column: string): string {
    const v = this.raw(column);
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
    const iso = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : '';
    const d = new Date(`${iso}T00:00:00Z`);
    if (!m || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      this.fail(column, `${column}应为日期，如 2026-01-31`, `${column} must be a date such as 2026-01-31`);
      return '1970-01-01';
    }
    return iso;
  }

  list(column: string): string[] {
    const parts = this.raw(column)
      .split(LIST_SEPARATOR)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return [...new Set(parts)];
  }

  /** A department by id or by its name (when the department list is known). */
  department(column: string): string {
    const v = this.raw(column);
    if (v === '') {
      this.fail(column, `${column}不能为空`, `${column} is required`);
      return v;
    }
    if (!this.departments) return v;
    const hit = this.departments.find((d) => d.departmentId === v) ?? this.departments.find((d) => d.name === v);
    if (!hit) this.fail(column, `未知部门：${v}`, `unknown department: ${v}`);
    return hit ? hit.departmentId : v;
  }
}

export const departmentLabel = (id: string, departments: readonly DepartmentName[] | undefined): string =>
  departments?.find((d) => d.departmentId === id)?.name ?? id;
