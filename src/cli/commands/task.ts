import type { Command } from 'commander';
import { TaskService, taskListQuerySchema, taskView, toTaskListQuery, type TaskListRequest } from '../../app/tasks/index.js';
import { idSchema, notFound, reasonSchema } from '../../domain/registers/index.js';
import { taskDraftSchema, taskIdSchema, type TaskDraft } from '../../domain/tasks/index.js';
import { listTasks } from '../../projections/tasks/index.js';
import { actingUserId, userRequired } from '../cli-actor.js';
import { act, type CliContext, type DrawRuntime, type ExitBox } from '../context.js';
import { dataOption, userOption } from '../options.js';
import { requestFrom } from './request-file.js';
import { actingAs, checked, printer, withRuntime, type Opened } from './workflow-common.js';

// The path and body schemas of src/api/routes/tasks.ts.
const params = { type: 'object', additionalProperties: false, required: ['taskId'], properties: { taskId: taskIdSchema } } as const;
const delegateBody = { type: 'object', additionalProperties: false, required: ['delegate', 'reason'], properties: { delegate: idSchema, reason: reasonSchema } } as const;
const lockBody = { type: 'object', additionalProperties: false, required: ['drawId'], properties: { drawId: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

const taskIdOf = (taskId: string): string => checked<{ taskId: string }>(params, { taskId }, 'task').taskId;

/**
 * `suiji task create|delegate|accept|lock|dispatch|show|list`: tasks (T1–T4, PL6, P2), as POST /tasks,
 * POST /tasks/{id}/delegation, …/delegation/acceptance, …/lock, …/dispatch, GET /tasks/{id} and GET /tasks.
 * An operator or principal creates; principals delegate, accept, lock and dispatch (the route's
 * `task.confirm`); the decider checks whose task it is. Each write prints the route's result.
 */
export function registerTask(program: Command, ctx: CliContext, box: ExitBox): void {
  const task = program.command('task').description('抽查任务 / inspection tasks (T1–T4, PL6)');
  const print = printer(ctx);

  task
    .command('create')
    .description('按现行计划（或临时）建立抽查任务，编号由系统分配 / create a task under the plan in force, or ad hoc; the system numbers it')
    .requiredOption('--file <task.json>', '任务 JSON，同 POST /tasks 请求体 / the task JSON, as the body of POST /tasks')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (opts: Opened & { file: string }) => {
        if (actingUserId(opts.user) === undefined) throw userRequired();
        const draft = requestFrom<TaskDraft>(opts.file, taskDraftSchema, 'task');
        return withRuntime(ctx, opts, true, async (rt) => {
          print(await new TaskService(rt).create(await actingAs(rt, opts, 'task.create'), draft));
          return 0;
        });
      }),
    );

  const confirm = (name: string, description: string, run: (service: TaskService, rt: DrawRuntime, taskId: string, opts: Opened & Record<string, string | undefined>) => Promise<unknown>): Command =>
    task
      .command(name)
      .description(description)
      .argument('<id>', '任务编号 / task number')
      .addOption(dataOption())
      .addOption(userOption())
      .action(
        act(box, (id: string, opts: Opened & Record<string, string | undefined>) => {
          const taskId = taskIdOf(id);
          return withRuntime(ctx, opts, true, async (rt) => {
            print(await run(new TaskService(rt), rt, taskId, opts));
            return 0;
          });
        }),
      );

  confirm('delegate', '部门负责人委托下级部门实施 / a principal delegates execution to a lower department (T1)', async (service, rt, taskId, opts) => {
    const body = checked<{ delegate: string; reason: string }>(delegateBody, { delegate: opts.to, reason: opts.reason }, 'task delegation');
    return service.delegate(await actingAs(rt, opts, 'task.confirm'), taskId, body.delegate, body.reason);
  })
    .requiredOption('--to <department>', '受托的下级部门 / the lower department')
    .requiredOption('--reason <text>', '委托理由 / why');

  confirm('accept', '受托部门负责人接受委托 / the delegate\'s principal accepts (T1)', async (service, rt, taskId, opts) =>
    service.accept(await actingAs(rt, opts, 'task.confirm'), taskId),
  );

  confirm('lock', '任务的对象摇号完成后，确认并锁定名单 / after the task\'s target draw completed, confirm and lock the list (T4)', async (service, rt, taskId, opts) => {
    const { drawId } = checked<{ drawId: string }>(lockBody, { drawId: opts.draw }, 'task lock');
    return service.lock(await actingAs(rt, opts, 'task.confirm'), taskId, drawId);
  }).requiredOption('--draw <id>', '已完成的对象摇号编号 / the completed target draw');

  confirm('dispatch', '下发至实施单位并发布任务公告 / dispatch to the executing units and publish the task notice (T4/P2)', async (service, rt, taskId, opts) =>
    service.dispatch(await actingAs(rt, opts, 'task.confirm'), taskId),
  );

  task
    .command('show')
    .description('显示任务：对象类别、委托、锁定名单、分派 / show a task: classes, delegation, locked list, assignments')
    .argument('<id>', '任务编号 / task number')
    .addOption(dataOption())
    .action(
      act(box, (id: string, opts: Opened) => {
        const taskId = taskIdOf(id);
        return withRuntime(ctx, opts, false, async (rt) => {
          const { state } = await new TaskService(rt).state(taskId);
          if (!state.exists) throw notFound('抽查任务 task', taskId);
          print(taskView(state));
          return 0;
        });
      }),
    );

  task
    .command('list')
    .description('按任务编号顺序列出任务（可按部门、年度、状态、是否临时、实施单位筛选） / list tasks in task-number order, optionally by department, year, status, ad hoc, executing unit')
    .option('--department <id>', '任务所属部门 / the task\'s department')
    .option('--year <year>', '年度 / year')
    .option('--status <status>', '状态 / status: created | locked | dispatched')
    .option('--ad-hoc <bool>', '临时任务 true，计划内任务 false / true: ad-hoc tasks only, false: planned only (PL6)')
    .option('--executing-unit <id>', '实施单位：其为实施单位之一或已接受委托的任务 / tasks this unit executes: one of their units, or their accepted delegate (T1)')
    .option('--after <taskId>', '上一页最后一个任务编号 / the task number of the previous page\'s last task')
    .option('--limit <n>', '条数 1–1000，默认 100 / how many, 1–1000 (default 100)')
    .addOption(dataOption())
    .action(
      act(box, (opts: Opened & Record<string, string | undefined>) => {
        const { data: _data, ...query } = opts;
        const q = checked<TaskListRequest>(taskListQuerySchema, { ...query }, 'task list');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          print({ items: listTasks(rt.projections.db, toTaskListQuery(q)) });
          return 0;
        });
      }),
    );
}
