import { readFileSync, writeFileSync } from 'node:fs';
import { SuijiError } from '../../domain/errors.js';
import { compileValidator } from '../../domain/registers/index.js';
import { listDraws } from '../../projections/draws/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import type { EventStore } from '../../store/port.js';
import { DuplicateKeyError, parseJsonStrict } from '../../verify/index.js';
import { type ParsedArgs, dataDirOf, intFlag, stringFlag } from '../args.js';
import { cliMetadata } from '../cli-actor.js';
import {
  commitExpertsSchema, commitInspectorGroupsSchema, commitReplacementSchema, commitTargetsSchema,
  type CommitExpertsRequest, type CommitInspectorGroupsRequest, type CommitReplacementRequest, type CommitTargetsRequest,
} from '../../app/draws/requests.js';
import { fetchDrandRound } from '../drand-fetch.js';
import { DrawService, verifyRecordOffline } from '../../app/draws/service.js';
import type { RecordVerdict } from '../../app/draws/verdict.js';
import { openRuntime } from '../runtime.js';

/** What a draw command needs opened; tests pass their own stack. */
export interface DrawRuntime {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  close(): Promise<void>;
}
export type OpenDrawRuntime = (dataDir: string) => Promise<DrawRuntime>;

const usage = `用法 / usage:
  suiji draw list [--task T] [--data DIR]
  suiji draw show ID [--data DIR]
  suiji draw export ID [--out FILE] [--data DIR]          public record (docs/lottery-spec.md §8)
  suiji draw verify FILE | --draw ID [--data DIR]          replay a record and compare it with the ledger;
                                                           exit 0 the ledger's record, 1 foreign or inconsistent
  suiji draw verify FILE --offline                         replay only, no ledger (verdict unanchored)
  suiji draw commit-targets|commit-experts|commit-groups|replace --file REQUEST.json --department D [--data DIR]
  suiji draw reveal ID --witness W (--secret S | --secret-file F) --department D
  suiji draw drand ID --round N (--signature HEX | --relay URL) --department D
  suiji draw ceremony ID --value V --department D
  suiji draw complete ID --department D
  suiji draw abandon ID --reason R --department D`;

const required = (args: ParsedArgs, name: string): string => {
  const v = stringFlag(args, name);
  if (!v) throw new SuijiError('VALIDATION_FAILED', { field: `--${name}` }, { zh: `缺少参数 --${name}`, en: `--${name} is required` });
  return v;
};

const idArg = (args: ParsedArgs): string => {
  const id = args.positional[2];
  if (!id) throw new SuijiError('VALIDATION_FAILED', { field: 'ID' }, { zh: '缺少摇号编号', en: 'the draw id is required' });
  return id;
};

/** Hostile file content becomes a coded error, never a raw exception (STYLE habit 6). */
function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SuijiError('NOT_FOUND', { field: 'FILE', path }, { zh: `无法读取文件 ${path}`, en: `cannot read ${path}` });
  }
  try {
    return parseJsonStrict(text);
  } catch (e) {
    // A record must have exactly one meaning: a repeated name is refused, not read as "last one wins".
    if (e instanceof DuplicateKeyError) {
      throw new SuijiError('BAD_REQUEST', { field: e.pointer, path, reason: 'DUPLICATE_KEY', key: e.key }, {
        zh: `文件 ${path} 在 ${e.pointer} 处有重复的键名`,
        en: `${path} repeats the key at ${e.pointer}`,
      });
    }
    throw new SuijiError('BAD_REQUEST', { field: 'FILE', path }, { zh: `文件 ${path} 不是有效的 JSON`, en: `${path} is not valid JSON` });
  }
}

function requestFrom<T>(args: ParsedArgs, schema: object, what: string): T {
  const parsed = compileValidator<T>(schema, what)(readJson(required(args, 'file')));
  if (parsed instanceof SuijiError) throw parsed;
  return parsed;
}

/** One line per verdict, Chinese first; the same verdict POST /verify answers (issue 7 §2). */
export function describeVerdict(v: RecordVerdict): string {
  const diff = v.expected !== undefined || v.actual !== undefined ? ` (expected ${JSON.stringify(v.expected)}, got ${JSON.stringify(v.actual)})` : '';
  const where = `${v.code ?? ''} at ${v.path ?? ''}: ${v.message ?? ''}${diff}`;
  switch (v.verdict) {
    case 'ledger': {
      const l = v.ledger;
      const anchor = l ? ` — ${l.drawId}, ${l.events.length} ledger events, head ${l.head.size} ${l.head.root}` : '';
      return v.taken === false
        ? `本账本所载的废弃摇号记录，结果未被采用 / the ledger's record of an ABANDONED draw; its would-be result was NOT taken${anchor}`
        : `摇号记录校验通过，且为本账本所载记录 / draw record verified: consistent and the record this ledger holds${anchor}`;
    }
    case 'foreign':
      return `记录自洽，但不是本账本所载记录 / consistent but NOT this ledger's record (forgery or another system's): ${where}`;
    case 'unanchored':
      return '记录自洽，但未与任何账本核对 / draw record consistent; NOT checked against any ledger (--offline)';
    case 'inconsistent':
      return `摇号记录校验失败 / draw record verification FAILED: ${where}`;
    default: {
      const _exhaustive: never = v.verdict;
      return _exhaustive;
    }
  }
}

/** `suiji draw verify FILE --offline`: nothing but the file (V4: no ledger, no server); unanchored or inconsistent. */
export const verifyFile = (path: string): RecordVerdict => verifyRecordOffline(readJson(path));

/** Exit code of a verdict: 0 for the ledger's record (or, offline, a consistent one), 1 otherwise. */
const exitOf = (v: RecordVerdict): number => (v.verdict === 'ledger' || v.verdict === 'unanchored' ? 0 : 1);

export async function draw(args: ParsedArgs, out: (line: string) => void, open: OpenDrawRuntime = openRuntime): Promise<number> {
  const sub = args.positional[1];
  const file = sub === 'verify' ? args.positional[2] : undefined;
  if (file !== undefined && args.flags.has('offline')) {
    const v = verifyFile(file);
    out(describeVerdict(v));
    return exitOf(v);
  }
  const known = ['list', 'show', 'export', 'verify', 'commit-targets', 'commit-experts', 'commit-groups', 'replace', 'reveal', 'drand', 'ceremony', 'complete', 'abandon'];
  if (sub === undefined || !known.includes(sub)) {
    out(usage);
    return 2;
  }
  const rt = await open(dataDirOf(args));
  try {
    const service = new DrawService({ store: rt.store, projections: rt.projections });
    const meta = () => cliMetadata(required(args, 'department'));
    const printJson = (v: unknown): void => out(JSON.stringify(v, null, 2));
    switch (sub) {
      case 'list': {
        await rt.projections.catchUp();
        const task = stringFlag(args, 'task');
        for (const d of listDraws(rt.projections.db, { ...(task !== undefined && { task }), limit: intFlag(args, 'limit', 100) })) {
          out(`${d.drawId}\t${d.status}\t${d.committedAt}\tpool ${d.poolSize}\texcluded ${d.excluded}\t${d.commitmentHash}`);
        }
        return 0;
      }
      case 'show':
        printJson(await service.get(idArg(args)));
        return 0;
      case 'export': {
        const record = await service.publicExport(idArg(args));
        const text = `${JSON.stringify(record, null, 2)}\n`;
        const to = stringFlag(args, 'out');
        if (to) {
          writeFileSync(to, text);
          out(`已导出 / exported ${record.commitment.drawId} → ${to}`);
        } else process.stdout.write(text);
        return 0;
      }
      case 'verify': {
        const v = file !== undefined ? await service.verifyRecord(readJson(file)) : await service.verifyStored(required(args, 'draw'));
        out(describeVerdict(v));
        return exitOf(v);
      }
      case 'commit-targets':
        out(await service.commitTargets(meta(), requestFrom<CommitTargetsRequest>(args, commitTargetsSchema, 'target draw request')));
        return 0;
      case 'commit-experts':
        out(await service.commitExperts(meta(), requestFrom<CommitExpertsRequest>(args, commitExpertsSchema, 'expert draw request')));
        return 0;
      case 'commit-groups':
        out(await service.commitInspectorGroups(meta(), requestFrom<CommitInspectorGroupsRequest>(args, commitInspectorGroupsSchema, 'inspector group draw request')));
        return 0;
      case 'replace':
        out(await service.commitReplacement(meta(), requestFrom<CommitReplacementRequest>(args, commitReplacementSchema, 'replacement request')));
        return 0;
      case 'reveal': {
        const file = stringFlag(args, 'secret-file');
        // A secret file keeps the secret out of shell history; its trailing newline is not part of it.
        const secret = file !== undefined ? readFileSync(file, 'utf8').replace(/\r?\n$/, '') : required(args, 'secret');
        await service.revealWitness(meta(), idArg(args), { witness: required(args, 'witness'), secret });
        out(`已揭示 / revealed`);
        return 0;
      }
      case 'drand': {
        const round = intFlag(args, 'round', 0);
        // Paste the signature, or fetch it from a relay; either way the decider verifies it (BLS).
        const relay = stringFlag(args, 'relay');
        const signature = relay !== undefined && !args.flags.has('signature') ? (await fetchDrandRound(relay, round)).signature : required(args, 'signature');
        await service.recordDrand(meta(), idArg(args), { round, signature });
        out(`已记录 drand 轮次 / drand round recorded: ${round}`);
        return 0;
      }
      case 'ceremony':
        await service.recordCeremony(meta(), idArg(args), { value: required(args, 'value') });
        out('已记录现场仪式值 / ceremony value recorded');
        return 0;
      case 'complete': {
        const record = await service.complete(meta(), idArg(args));
        out(`摇号完成 / draw completed: ${record.commitment.drawId} seed ${record.seed}`);
        return 0;
      }
      case 'abandon':
        await service.abandon(meta(), idArg(args), { reason: required(args, 'reason') });
        out('已公开废弃 / abandoned (public)');
        return 0;
      default:
        out(usage);
        return 2;
    }
  } finally {
    await rt.close();
  }
}
