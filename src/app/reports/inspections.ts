/**
 * The upward report (E8, A1, A2): per task and visit of a department whose task window ends in the
 * period — target, whether it was inspected, not inspected by its E8 outcome, transferred, the
 * results by category, publication timeliness (on time / late / exempt / overdue, from the
 * results views) and follow-ups open / closed. CSV and XLSX are written from the same rows.
 */
import ExcelJS from 'exceljs';
import { SuijiError } from '../../domain/errors.js';
import { listFollowUps } from '../../projections/followups/index.js';
import { listVisits } from '../../projections/visits/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { toCsv, guardFormula } from '../registers-io/csv-write.js';
import type { ResultService } from '../results/index.js';

export const inspectionReportHeaders = [
  '任务编号', '检查编号', '执行单位', '统一社会信用代码', '任务截止日', '检查情况', '未检查情形', '移交情况', '抽查结果', '结果状态', '公示时效', '后续处置（办理中）', '后续处置（已办结）',
] as const;

const outcomeLabels: Record<string, string> = { unreachable: '通过登记的住所（经营场所）无法联系', deregistered: '已注销', revoked: '已撤销', licenceRevoked: '已吊销' };
const statusLabels: Record<string, string> = { notSubmitted: '未录入', submitted: '待审核', returned: '已退回', published: '已公示', exempt: '不予公开' };

export interface ReportQuery {
  readonly department: string;
  readonly from: string;
  readonly to: string;
}

/** One row per (task, visit): plain strings, so CSV and XLSX cannot disagree. */
export async function inspectionReportRows(deps: { projections: ProjectionRunner; results: ResultService }, q: ReportQuery): Promise<string[][]> {
  if (q.from > q.to) throw new SuijiError('VALIDATION_FAILED', { field: '/from', rule: 'A1' }, { zh: 'A1：起始日期晚于截止日期', en: 'A1: from is after to' });
  await deps.projections.catchUp();
  const db = deps.projections.db;
  const rows: string[][] = [];
  for (let after = ''; ; ) {
    const page = listVisits(db, { after, limit: 500 });
    for (const v of page) {
      const transferredFrom = v.transferredFrom ?? null;
      if (v.executingUnit !== q.department && transferredFrom !== q.department) continue;
      const { state } = await deps.results.state(v.visitId);
      const view = await deps.results.view(v.visitId);
      const followUps = listFollowUps(db, { visitId: v.visitId, limit: 1000 });
      const open = followUps.filter((f) => f.closed === null).length;
      const awayFromUs = transferredFrom === q.department;
      const outcome = state.exists ? state.outcome : null;
      const inspected = awayFromUs ? '已移交' : outcome ? '未检查（视为完成）' : state.exists ? '已检查' : '未完成';
      const transfer = transferredFrom === null ? '' : awayFromUs ? `移交至 ${v.executingUnit}` : `由 ${transferredFrom} 移交接收`;
      const results = state.exists ? state.results.map((r) => `${r.itemId}:${r.categoryLabel}${r.kind ? `（${r.kind.label}）` : ''}`).join('；') : '';
      const timely = view.status === 'exempt' ? '不予公开' : view.late ? '逾期公示' : view.status === 'published' ? '按时公示' : view.overdue ? '逾期未公示' : '未到期';
      for (const t of v.tasks) {
        if (t.window.to < q.from || t.window.to > q.to) continue;
        rows.push([
          t.taskId, v.visitId, v.executingUnit, v.uscc, t.window.to, inspected, outcome ? outcomeLabels[outcome.outcome]! : '', transfer, results,
          awayFromUs ? '' : statusLabels[view.status]!, awayFromUs ? '' : timely, String(open), String(followUps.length - open),
        ]);
      }
    }
    if (page.length < 500) break;
    after = page[page.length - 1]!.visitId;
  }
  return rows;
}

export const reportToCsv = (rows: readonly (readonly string[])[]): Uint8Array => toCsv(inspectionReportHeaders, rows);

export async function reportToXlsx(rows: readonly (readonly string[])[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('抽查检查情况');
  ws.addRow([...inspectionReportHeaders]);
  // Same formula guard as the CSV: a cell from the ledger never runs as a formula in a spreadsheet.
  for (const r of rows) ws.addRow(r.map(guardFormula));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
