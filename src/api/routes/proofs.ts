import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { DrawService } from '../../app/draws/service.js';
import { ledgerProofBundle, ledgerProofSchema, type ProofLedger } from '../../app/proofs/index.js';
import { noticeIdSchema } from '../../domain/notices/index.js';
import { SuijiError } from '../../domain/errors.js';
import { getNotice } from '../../projections/plans/index.js';
import type { AppDeps } from '../deps.js';
import { errorResponses, freshen, notFound } from './registers/common.js';

const drawParams = { type: 'object', required: ['drawId'], additionalProperties: false, properties: { drawId: { type: 'string', minLength: 1, maxLength: 300 } } } as const;
const noticeParams = { type: 'object', additionalProperties: false, required: ['noticeId'], properties: { noticeId: noticeIdSchema } } as const;

/** No log configured at all: the same coded answer LedgerPublic gives without its key (503, `suiji keys init`). */
const noLog = (): SuijiError => new SuijiError('LOG_KEY_MISSING', { field: 'ledger' });

/**
 * Issue 11: the inclusion proofs a draw record or a notice carries (`suiji-ledger-proof/1`,
 * docs/public.md), so that anyone can anchor it offline with `suiji draw verify --proof` or the
 * replay page. Public: a proof shows only events whose record or notice is public already.
 */
export const proofRoutes =
  (deps: AppDeps, ledger: ProofLedger | undefined): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const draws = new DrawService({ store: deps.store, projections: deps.projections });
    app.get(
      '/draws/:drawId/proof',
      { schema: { summary: 'V4 inclusion proofs of a draw record\'s events against the signed checkpoint, public 摇号记录的账本证明', tags: ['draws'], security: [], params: drawParams, response: { 200: ledgerProofSchema, ...errorResponses } } },
      async (request) => {
        const positions = await draws.proofPositions(request.params.drawId);
        if (!ledger) throw noLog();
        return ledgerProofBundle(ledger, deps.store, positions);
      },
    );
    app.get(
      '/notices/:noticeId/proof',
      { schema: { summary: 'P2 inclusion proofs of a notice (and the event it publishes) against the signed checkpoint, public 公示的账本证明', tags: ['public notices 公示'], security: [], params: noticeParams, response: { 200: ledgerProofSchema, ...errorResponses } } },
      async (request, reply) => {
        await freshen(deps, reply);
        const notice = getNotice(deps.projections.db, request.params.noticeId);
        if (!notice) throw notFound('/noticeId', request.params.noticeId);
        if (!ledger) throw noLog();
        const positions = [notice.position, ...(notice.subject.position === null ? [] : [notice.subject.position])];
        return ledgerProofBundle(ledger, deps.store, positions);
      },
    );
  };
