import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/**
 * The OpenAPI document, built from the routes' own JSON Schemas (so it cannot drift from what
 * the server validates), and its UI at /docs (JSON at /docs/json). Register before any route.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'suiji 双随机、一公开 API',
        description:
          '随机抽查事项清单、检查对象名录库与执法检查人员名录库（一单两库）、摇号与公示。所有写操作均记入不可篡改的账本。\n\n' +
          'Item lists, target and inspector registers (one list, two registers), the verifiable lottery and public notices. Every write is an event in a tamper-evident ledger.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'sj_<tokenId>.<secret>, from `suiji token create`' } } },
      security: [{ bearer: [] }],
    },
  });
  // helmet's default CSP would block the UI's inline bootstrap; the UI sends its own strict CSP.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
