import type { Command } from 'commander';
import { FormService, formItemParamsSchema, formVersionParamsSchema, visitFormParamsSchema } from '../../app/forms/index.js';
import { SuijiError } from '../../domain/errors.js';
import { formContentSchema, visitFormChoiceSchema, type FormContent, type VisitFormChoice } from '../../domain/forms/index.js';
import { actingUserId, userRequired } from '../cli-actor.js';
import { act, type CliContext, type DrawRuntime, type ExitBox } from '../context.js';
import { dataOption, userOption } from '../options.js';
import { readJson } from './draw-files.js';
import { actingAs, checked, printer, withRuntime, type Opened } from './workflow-common.js';

const service = (rt: DrawRuntime): FormService => new FormService({ store: rt.store, projections: rt.projections });
const itemOf = (item: string): string => checked<{ itemId: string }>(formItemParamsSchema, { itemId: item }, 'form').itemId;
const visitOf = (id: string): string => checked<{ visitId: string }>(visitFormParamsSchema, { visitId: id }, 'visit form').visitId;

/**
 * The template file is the body of POST /forms/{item}/versions without its reason, which is
 * given with --reason (as every other console write gives its reason). A `reason` in the file
 * is refused rather than silently preferred to one of the two.
 */
export function templateFrom(file: string, reason: string): FormContent {
  const content = readJson(file);
  if (content !== null && typeof content === 'object' && !Array.isArray(content) && 'reason' in content)
    throw new SuijiError('VALIDATION_FAILED', { field: '/reason', path: file, rule: 'E2' }, {
      zh: `模板文件 ${file} 不应含 reason，请用 --reason 给出理由`,
      en: `${file} must not carry a reason; give it with --reason`,
    });
  const body = content !== null && typeof content === 'object' && !Array.isArray(content) ? { ...content, reason } : content;
  // Not an object: the schema's own error names the body.
  return checked<FormContent>(formContentSchema, body as Record<string, unknown>, 'form template');
}

/**
 * `ITEM:V,ITEM:V` as the body's `forms`; a malformed entry keeps what it has, so the route's
 * schema names it (`/forms/1/version`) instead of a second parser inventing its own errors.
 */
export function formsOption(value: string): unknown[] {
  return value.split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    if (at < 0) return { itemId: entry.trim() };
    const v = entry.slice(at + 1).trim();
    return { itemId: entry.slice(0, at).trim(), version: /^\d{1,15}$/.test(v) ? Number(v) : v };
  });
}

/**
 * `suiji form show|publish` and `suiji visit form|form-choose`: check forms (E2/E3) at the console,
 * as GET /forms/{item}[/versions/{v}], POST /forms/{item}/versions, GET and POST /visits/{id}/form —
 * the same FormService and the same request schemas. Reads need no --user, as every CLI read.
 */
export function registerForm(program: Command, ctx: CliContext, box: ExitBox): void {
  const form = program.command('form').description('检查事项的检查表与检查方式（按版本） / check forms and methods of an item, versioned (E2/E3)');
  const print = printer(ctx);

  form
    .command('show')
    .description('显示事项的检查表：现行版本与历次版本及理由；--version 显示某一版本 / show an item\'s check form: the current version and every version\'s reason; --version: one version')
    .argument('<item>', '检查事项编号 / item id')
    .option('--version <n>', '版本号 / the version number')
    .addOption(dataOption())
    .action(
      act(box, (item: string, opts: Opened & { version?: string }) => {
        const itemId = itemOf(item);
        const version = opts.version === undefined ? undefined : Number(checked<{ version: string }>(formVersionParamsSchema, { itemId, version: opts.version }, 'form').version);
        return withRuntime(ctx, opts, false, async (rt) => {
          print(version === undefined ? await service(rt).itemForm(itemId) : await service(rt).version(itemId, version));
          return 0;
        });
      }),
    );

  form
    .command('publish')
    .description('发布事项检查表的下一版本（内容不变则不新增版本） / publish the next version of an item\'s check form (the same content again adds nothing)')
    .argument('<item>', '检查事项编号 / item id')
    .requiredOption('--file <template.json>', '模板 JSON：{ questions, methods }，同 POST /forms/{item}/versions 请求体（不含 reason） / the template: the body of POST /forms/{item}/versions without reason')
    .requiredOption('--reason <text>', '发布或修改理由 / why this version')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (item: string, opts: Opened & { file: string; reason: string }) => {
        if (actingUserId(opts.user) === undefined) throw userRequired();
        const itemId = itemOf(item);
        const content = templateFrom(opts.file, opts.reason);
        return withRuntime(ctx, opts, true, async (rt) => {
          print(await service(rt).publish(await actingAs(rt, opts, 'form.publish'), itemId, content));
          return 0;
        });
      }),
    );

  const visit = program.commands.find((c) => c.name() === 'visit') ?? program.command('visit').description('检查（一次上门） / visits (T5)');

  visit
    .command('form')
    .description('显示检查对象的合并检查表（一对象一表单）：手动选择的版本，否则各事项现行版本 / show the visit\'s one combined form: the versions chosen by hand, else each item\'s current one (E2)')
    .argument('<id>', '检查编号 / visit id')
    .addOption(dataOption())
    .action(
      act(box, (id: string, opts: Opened) => {
        const visitId = visitOf(id);
        return withRuntime(ctx, opts, false, async (rt) => {
          print(await service(rt).visitForm(visitId));
          return 0;
        });
      }),
    );

  visit
    .command('form-choose')
    .description('手动选择本次检查使用的检查表版本，须说明理由 / choose the visit\'s form versions by hand, with a reason (E2)')
    .argument('<id>', '检查编号 / visit id')
    .requiredOption('--forms <item:version,...>', '每个有检查表的事项恰好一个版本，如 SW-01:1,SW-02:2 / exactly one version per item with a form, e.g. SW-01:1,SW-02:2')
    .requiredOption('--reason <text>', '手动选择的理由 / why')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (id: string, opts: Opened & { forms: string; reason: string }) => {
        const visitId = visitOf(id);
        const choice = checked<VisitFormChoice>(visitFormChoiceSchema, { forms: formsOption(opts.forms), reason: opts.reason }, 'visit form choice');
        return withRuntime(ctx, opts, true, async (rt) => {
          print(await service(rt).choose(await actingAs(rt, opts, 'form.choose'), visitId, choice));
          return 0;
        });
      }),
    );
}
