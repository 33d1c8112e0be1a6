import type { Command } from 'commander';
import {
  InspectionService, onSiteRequestSchema, preCheckRequestSchema, targetAnswerRequestSchema, type OnSiteRequest, type PreCheckRequest, type TargetAnswerRequest,
} from '../../app/inspections/index.js';
import { visitIdParamsSchema } from '../../app/tasks/index.js';
import { SuijiError } from '../../domain/errors.js';
import { actingUserId, userMetadata, userRequired } from '../cli-actor.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataOption, userOption } from '../options.js';
import { requestFrom } from './request-file.js';
import { checked, printer, withRuntime, type Opened } from './workflow-common.js';

type Step = 'pre-check' | 'on-site' | 'target-signature' | 'sign' | 'close';
const bodies: Record<Exclude<Step, 'sign' | 'close'>, { schema: object; zh: string; en: string }> = {
  'pre-check': { schema: preCheckRequestSchema, zh: '预查比对（E4）', en: 'the pre-check (E4)' },
  'on-site': { schema: onSiteRequestSchema, zh: '现场检查（E4：≥2 名检查组成员在场，证据须已存入）', en: 'the on-site record (E4: ≥ 2 group members present; evidence stored first)' },
  'target-signature': { schema: targetAnswerRequestSchema, zh: '检查对象签字 {"signed":{name,role}} 或拒签见证 {"refused":{"witness":{name,idNote}}}', en: 'the target\'s signature {"signed":{name,role}} or witnessed refusal {"refused":{"witness":{name,idNote}}}' },
};

/**
 * `suiji inspect …` (E1, E4, A3): the on-site record of a visit, as POST
 * /visits/{id}/inspection/{pre-check,on-site,target-signature,signatures,closure} and GET
 * /visits/{id}/inspection. Every write acts as --user, who must be a member of the visit's
 * group (their userId is their inspector id); `close` is the leader's.
 */
export function registerInspect(program: Command, ctx: CliContext, box: ExitBox): void {
  const inspect = program.command('inspect').description('现场检查记录（预查、现场、签字、关闭） / the on-site record of a visit (E1, E4, A3)');
  const print = printer(ctx);
  const visitOf = (id: string): string => checked<{ visitId: string }>(visitIdParamsSchema, { visitId: id }, 'visit').visitId;

  const write = (step: Step, description: string): void => {
    const cmd = inspect.command(step).description(description).argument('<visit>', '检查（上门）编号 / visit id');
    const body = step === 'sign' || step === 'close' ? undefined : bodies[step];
    if (body) cmd.requiredOption('--file <body.json>', `${body.zh}，同 HTTP 请求体 / ${body.en}, as the HTTP body`);
    cmd.addOption(dataOption()).addOption(userOption()).action(
      act(box, (id: string, opts: Opened & { file?: string }) => {
        if (actingUserId(opts.user) === undefined) throw userRequired();
        const visitId = visitOf(id);
        const request = body && opts.file !== undefined ? requestFrom<unknown>(opts.file, body.schema, step) : undefined;
        return withRuntime(ctx, opts, true, async (rt) => {
          const service = new InspectionService(rt);
          // No access row: the decider checks group membership (E1) against the acting user.
          const meta = await userMetadata(rt.store, opts.user);
          switch (step) {
            case 'pre-check':
              print(await service.preCheck(meta, visitId, request as PreCheckRequest));
              break;
            case 'on-site':
              print(await service.onSite(meta, visitId, request as OnSiteRequest));
              break;
            case 'target-signature':
              print(await service.targetAnswer(meta, visitId, request as TargetAnswerRequest));
              break;
            case 'sign':
              print(await service.sign(meta, visitId));
              break;
            case 'close':
              print(await service.close(meta, visitId));
              break;
            default: {
              const _exhaustive: never = step;
              return _exhaustive;
            }
          }
          return 0;
        });
      }),
    );
  };
  write('pre-check', '记录预查比对：查阅了什么、发现什么、选定的检查方式 / record the pre-check: consulted, found, method (E3/E4)');
  write('on-site', '记录现场检查 / record the on-site inspection (E4, E10)');
  write('target-signature', '记录检查对象签字或拒签（须有见证人） / record the target\'s signature, or its refusal with a witness (E4)');
  write('sign', '以本人身份签名（--user 即签名的检查人员） / sign the record as yourself: --user is the inspector who signs (A3)');
  write('close', '组长关闭记录（须至少两名在场检查人员已签名） / the leader closes the record (at least two present inspectors signed, E1)');

  inspect
    .command('show')
    .description('显示现场检查记录及每个事件的操作人 / show the on-site record and who wrote each event (A3)')
    .argument('<visit>', '检查（上门）编号 / visit id')
    .addOption(dataOption())
    .action(
      act(box, (id: string, opts: Opened) => {
        const visitId = visitOf(id);
        return withRuntime(ctx, opts, false, async (rt) => {
          const service = new InspectionService(rt);
          const view = await service.read(visitId);
          if (view.events.length === 0 && (await service.visit(visitId)) === null) {
            throw new SuijiError('NOT_FOUND', { field: 'VISIT', kind: 'visit', visitId }, { zh: `未找到检查：${visitId}`, en: `visit not found: ${visitId}` });
          }
          print(view);
          return 0;
        });
      }),
    );
}
