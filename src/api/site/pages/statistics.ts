/**
 * P3/A1: the public statistics page — the assessment figures per department for a year or quarter,
 * charts rendered on the server to SVG by Apache ECharts (no script, so CSP holds) and the numbers
 * in tables with captions. No ledger positions here (GET /stats and the export carry them).
 */
import type { Database } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import * as echarts from 'echarts';
import { StatsService } from '../../../app/stats/index.js';
import { figureGroups, type DepartmentStats, type Figure, type FigureKey, type StatsReport } from '../../../domain/stats/index.js';
import type { WorkingCalendar } from '../../../domain/calendar/index.js';
import type { ResultPeriods } from '../../../domain/results/index.js';
import { PageError, departmentNames, queryParam, sendPage, table } from '../components.js';
import { href, html, raw, type SafeHtml } from '../html.js';

const pct = (f: Figure): number | null => (f.denominator ? Math.round((1000 * f.value) / f.denominator) / 10 : null);
const ratioText = (f: Figure): string => (f.denominator === null ? '' : f.denominator === 0 ? '—' : `${pct(f)}%`);
const fig = (d: DepartmentStats, key: FigureKey): Figure => d.figures.find((f) => f.key === key)!;

/** ECharts' SVG string renderer: ECharts escapes text (tests/stats/http.test.ts renders a hostile department name). */
function svgChart(option: echarts.EChartsOption, width = 720, height = 320): SafeHtml {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'Noto Sans CJK SC, sans-serif' }, ...option });
    // Scales to the column (the viewBox keeps the aspect): no sideways scroll on a 375 px phone.
    const svg = chart.renderToSVGString().replace(/^<svg width="\d+" height="\d+"/, `<svg width="100%" role="img" aria-label="${String(option.title && !Array.isArray(option.title) ? (option.title.text ?? '') : '').replace(/[<>&"]/g, '')}"`);
    return raw(svg);
  } finally {
    chart.dispose();
  }
}

/** A bar chart with one category per department (the two charts share everything but title, y axis and bars). */
const departmentBars = (title: string, labels: string[], yAxis: Record<string, unknown>, series: readonly { name: string; data: number[] }[]): SafeHtml =>
  svgChart({
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 72 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value', ...yAxis },
    series: series.map((b) => ({ type: 'bar', ...b })),
  });

function charts(report: StatsReport, names: Map<string, string>): SafeHtml {
  const rows = report.departments;
  const labels = rows.map((d) => names.get(d.department) ?? d.department);
  const timeliness = departmentBars('结果按时录入率与按时公示率（%）', labels, { max: 100 }, [
    { name: '按时录入（A2）', data: rows.map((d) => pct(fig(d, 'results.enteredOnTime')) ?? 0) },
    { name: '按时公示（E5）', data: rows.map((d) => pct(fig(d, 'results.publishedOnTime')) ?? 0) },
  ]);
  const work = departmentBars('随机抽查与非随机检查（次）', labels, { minInterval: 1 }, [
    { name: '派发任务', data: rows.map((d) => fig(d, 'tasks.dispatched').value) },
    { name: '完成的摇号', data: rows.map((d) => fig(d, 'draws.completed').value) },
    { name: '放弃的摇号', data: rows.map((d) => fig(d, 'draws.abandoned').value) },
    // G2: drawn apart, never stacked with the random figures.
    { name: '非随机检查（单列）', data: rows.map((d) => fig(d, 'nonRandom.inspections').value) },
  ]);
  return html`<figure class="chart">${timeliness}<figcaption>各部门结果按时录入率与按时公示率（数据见下表）</figcaption></figure>
<figure class="chart">${work}<figcaption>各部门随机抽查工作量与非随机检查（非随机检查单列，不计入随机抽查）</figcaption></figure>`;
}

function totalsTable(report: StatsReport, caption: string): SafeHtml {
  return table(caption, ['类别', '指标', '数值', '分母', '比率'], report.total.figures.map((f) => [figureGroups[f.group].zh, f.provisional ? `${f.zh}（暂定）` : f.zh, String(f.value), f.denominator === null ? '' : String(f.denominator), ratioText(f)]));
}

const perDepartment: readonly FigureKey[] = ['register.targets', 'plan.coverage', 'plan.executed', 'tasks.dispatched', 'draws.completed', 'draws.abandoned', 'results.enteredOnTime', 'results.publishedOnTime', 'results.exempt', 'objections.onTime', 'followUps.closed', 'nonRandom.inspections'];

/** One small table per department (figures as rows): readable on a phone, unlike one wide table. */
function departmentTables(report: StatsReport, names: Map<string, string>, label: string): SafeHtml {
  return html`${report.departments.map((d) => {
    const name = names.get(d.department) ?? d.department;
    return html`<h3>${name}</h3>
${table(`${label} ${name} 主要指标`, ['指标', '数值', '分母', '比率'], perDepartment.map((k) => {
      const f = fig(d, k);
      return [f.provisional ? `${f.zh}（暂定）` : f.zh, String(f.value), f.denominator === null ? '' : String(f.denominator), ratioText(f)];
    }), { rowHeader: true })}`;
  })}`;
}

function parsePeriod(year: string | undefined, quarter: string | undefined, today: string): { year: number; quarter?: number } {
  if (year !== undefined && year !== '' && !/^20\d\d$/.test(year)) throw new PageError(400, '年度参数 year 无效（四位年份）。', 'The parameter `year` is invalid (a four-digit year).', 'year');
  if (quarter !== undefined && quarter !== '' && !/^[1-4]$/.test(quarter)) throw new PageError(400, '季度参数 quarter 无效（1 至 4）。', 'The parameter `quarter` is invalid (1 to 4).', 'quarter');
  return { year: year ? Number(year) : Number(today.slice(0, 4)), ...(quarter ? { quarter: Number(quarter) } : {}) };
}

export function statisticsPages(app: FastifyInstance, db: Database, options: { calendar: WorkingCalendar; clock: () => Date; periods?: ResultPeriods }): void {
  const service = new StatsService({ db, calendar: options.calendar }, { clock: options.clock, ...(options.periods && { periods: options.periods }) });
  app.get('/statistics', async (request, reply) => {
    const period = parsePeriod(queryParam(request, 'year', 8), queryParam(request, 'quarter', 4), service.today());
    const report = service.report(period);
    const names = departmentNames(db, report.departments.map((d) => d.department));
    const label = `${report.period.year} 年${report.period.quarter ? `第 ${report.period.quarter} 季度` : '全年'}`;
    const periodLinks = html`<p class="period-links">${[undefined, 1, 2, 3, 4].map((q) =>
      html`<a href="${href('/public/statistics', { year: report.period.year, ...(q && { quarter: q }) })}"${q === (report.period.quarter ?? undefined) ? raw(' aria-current="page"') : ''}>${q ? `第 ${q} 季度` : '全年'}</a> `)}
<a href="${href('/public/statistics', { year: report.period.year - 1 })}">上一年</a></p>`;
    return sendPage(reply, {
      title: `考核统计 ${label}`,
      current: '/public/statistics',
      description: '双随机、一公开 考核统计：名录库建设、计划执行、结果录入与公示及时性、异议与后续处置',
      body: html`<h1>考核统计 · ${label}</h1>
<p>以下数字全部由系统根据账本记录自动计算（P3）；未录入或逾期录入的结果计为未完成（A2）。统计日：${report.asOf}（${report.period.from} 至 ${report.period.to}）。</p>
${periodLinks}
<h2>图表</h2>
${report.departments.length === 0 ? html`<p class="muted">本期间暂无统计数据。</p>` : charts(report, names)}
<h2>各部门主要指标</h2>
${departmentTables(report, names, label)}
<h2>全部指标（合计）</h2>
${totalsTable(report, `${label}全部指标合计`)}
<p class="muted">每项指标的定义见文档 docs/public.md「Assessment statistics」；任何人可用公开导出（stats/events.jsonl）独立重算：<code>suiji stats --from-export DIR</code>。</p>`,
    });
  });
}
