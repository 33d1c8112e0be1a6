import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { packageCalendarYears } from '../../app/calendar/index.js';
import { StatsService, statsPositionsQuerySchema, statsPositionsSchema, statsQuerySchema, statsReportSchema } from '../../app/stats/index.js';
import { workingCalendar } from '../../domain/calendar/index.js';
import { expandPositions } from '../../domain/stats/index.js';
import type { AppDeps } from '../deps.js';
import type { ResultRouteOptions } from './results.js';
import { errorResponses, freshenReads, requireAction } from './registers/common.js';

const tags = ['statistics 考核统计'];

/**
 * P3/A1–A4: assessment statistics per department and period, each figure with the ledger
 * positions it counts. For auditors, principals and admins (`stats.read`); the public reads the
 * summary on /public/statistics. Same calendar, periods and clock as the results (A4).
 */
export const statsRoutes =
  (deps: AppDeps, options: ResultRouteOptions = {}): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const calendar = options.calendar ?? workingCalendar({ years: packageCalendarYears() });
    const service = new StatsService({ db: deps.projections.db, calendar }, options);
    freshenReads(base, deps);
    const queryOf = (q: { year?: number; quarter?: number; department?: string }) => ({
      year: q.year ?? Number(service.today().slice(0, 4)),
      ...(q.quarter !== undefined && { quarter: q.quarter }),
      ...(q.department !== undefined && { department: q.department }),
    });

    app.get(
      '/stats',
      { onRequest: requireAction('stats.read'), schema: { tags, summary: 'A1 assessment statistics per department and period, with ledger positions 考核统计', querystring: statsQuerySchema, response: { 200: statsReportSchema, ...errorResponses } } },
      async (request) => service.report(queryOf(request.query)),
    );

    app.get(
      '/stats/positions',
      {
        onRequest: requireAction('stats.read'),
        schema: { tags, summary: 'A1 the ledger positions one figure counts, paged 统计指标对应的账本位置', querystring: statsPositionsQuerySchema, response: { 200: statsPositionsSchema, ...errorResponses } },
      },
      async (request) => {
        const q = request.query;
        const report = service.report(queryOf(q));
        const row = q.department === undefined ? report.total : report.departments.find((d) => d.department === q.department)!;
        const all = expandPositions(row.figures.find((f) => f.key === q.figure)!.positions);
        return { figure: q.figure, department: row.department, total: all.length, offset: q.offset, positions: all.slice(q.offset, q.offset + q.limit) };
      },
    );
  };
