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

/** C0 and C1 control characters, NUL included: never part of a name, code or date (issue 8 §2). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const showControls = (v: string): string =>
  v.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 the 1900-02-29 that never
 * was (Lotus 1-2-3's leap-year bug, kept by Excel for compatibility; ECMA-376 Part 1
 * §18.17.4.1). From 61 on, day 0 is therefore 1899-12-30.
 */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * Only five-digit serials are read as dates (10000 = 1927-05-18 … 99999 = 2173-10-13): a
 * four-digit number such as 2028 is a year someone typed, not 1905-07-20.
 */
export function excelSerialDate(v: string): string | undefined {
  if (!/^[1-9]\d{4}$/.test(v)) return undefined;
  return new Date(EXCEL_EPOCH_MS + Number(v) * DAY_MS).toISOString().slice(0, 10);
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

  fail(column: string | null, zh: string, en: string, code = 'VALIDATION_FAILED', shown?: string): void {
    const value = shown ?? (column === null ? undefined : this.cells[column]);
    this.errors.push({ row: this.row, column, code, messageZh: zh, messageEn: en, ...(value !== undefined ? { value } : {}) });
  }

  /**
   * Issue 8 §2: bytes the CSV decoder could not read (U+FFFD when `invalidBytes`) and control
   * characters (NUL and the rest of C0/C1) are refused in every column, with row and column,
   * instead of being stored. The value is reported with the control characters spelled \\uXXXX.
   */
  checkCharacters(columns: readonly string[], invalidBytes: boolean): void {
    for (const column of columns) {
      const v = this.cells[column];
      if (!v) continue;
      if (invalidBytes && v.includes('\uFFFD'))
        this.fail(column, `${column}含无法识别的字节（文件既不是有效的 UTF-8，也不是有效的 GB18030）`, `${column} contains bytes that are neither valid UTF-8 nor valid GB18030`, 'VALIDATION_FAILED', showControls(v));
      const m = CONTROL.exec(v);
      if (m) {
        const u = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
        this.fail(column, `${column}含控制字符 ${u}（第${m.index + 1}个字符）`, `${column} contains the control character ${u} (character ${m.index + 1})`, 'VALIDATION_FAILED', showControls(v));
      }
    }
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

  /**
   * YYYY-MM-DD, also YYYY/M/D, YYYY.M.D and YYYY年M月D日 as bureaus type them, and an Excel
   * serial number (45292 = 2024-01-01) as a CSV saved from Excel writes a date cell; must be a
   * real date.
   */
  date(column: string): string {
    const v = this.raw(column);
    const serial = excelSerialDate(v);
    if (serial) return serial;
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(v);
    const iso = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : '';
    const d = new Date(`${iso}T00:00:00Z`);
    if (!m || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      this.fail(column, `${column}应为日期，如 2026-01-31、2026年1月31日或 Excel 日期序号 46053`, `${column} must be a date such as 2026-01-31, 2026年1月31日 or an Excel serial date such as 46053`);
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
