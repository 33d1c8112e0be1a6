/** `suiji stats` output: the figures as rows with Chinese headers — a text table, CSV or XLSX. */
import ExcelJS from 'exceljs';
import { figureGroups, type DepartmentStats, type Figure, type StatsReport } from '../../domain/stats/index.js';

export const statsHeaders = ['期间', '部门', '类别', '指标', '数值', '分母', '比率', '暂定', '账本位置'] as const;

const periodLabel = (r: StatsReport): string => `${r.period.year}${r.period.quarter ? `Q${r.period.quarter}` : ''}`;
export const ratioText = (f: Pick<Figure, 'value' | 'denominator'>): string =>
  f.denominator === null ? '' : f.denominator === 0 ? '—' : `${((100 * f.value) / f.denominator).toFixed(1)}%`;
export const positionsText = (f: Figure): string => f.positions.map((p) => (typeof p === 'number' ? String(p) : `${p[0]}-${p[1]}`)).join(',');

/** One row per figure and department, the total (部门 `*`, or the one asked) last. */
export function statsRows(reports: readonly StatsReport[]): string[][] {
  const rows: string[][] = [];
  for (const r of reports) {
    const blocks: DepartmentStats[] = [...r.departments, ...(r.departments.length > 1 ? [{ ...r.total, department: '合计' }] : [])];
    for (const d of blocks) {
      for (const f of d.figures) {
        rows.push([periodLabel(r), d.department, figureGroups[f.group].zh, f.zh, String(f.value), f.denominator === null ? '' : String(f.denominator), ratioText(f), f.provisional ? '是' : '', positionsText(f)]);
      }
    }
  }
  return rows;
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) || /^[=+\-@\t]/.test(s) ? `"${(/^[=+\-@\t]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"` : s);
export const statsCsv = (reports: readonly StatsReport[]): string => `\uFEFF${[[...statsHeaders], ...statsRows(reports)].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/** Positions left out of the text table (they can be long); CSV and XLSX carry them. */
export function statsTable(reports: readonly StatsReport[]): string {
  const rows = [statsHeaders.slice(0, 8), ...statsRows(reports).map((r) => r.slice(0, 8))];
  const width = (s: string): number => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);
  const cols = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return `${rows.map((r) => r.map((c, i) => c + ' '.repeat(cols[i]! - width(c))).join('  ').trimEnd()).join('\n')}\n`;
}

export async function statsXlsx(reports: readonly StatsReport[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考核统计');
  ws.addRow([...statsHeaders]);
  ws.getRow(1).font = { bold: true };
  // Numbers as numbers, so a spreadsheet sums them; text cells as text (no formulas from data).
  for (const r of statsRows(reports)) ws.addRow(r.map((c, i) => (i === 4 || (i === 5 && c !== '') ? Number(c) : c)));
  ws.columns.forEach((c, i) => (c.width = [8, 16, 14, 40, 8, 8, 8, 6, 40][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
