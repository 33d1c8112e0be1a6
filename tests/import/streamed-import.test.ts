/**
 * Issue 13: the streamed import (importFile: the file hashed, then read record by record and
 * appended in batches) against today's import (readTable + importTable: the whole file read
 * into a Table first). Property: for a generated register file — valid rows, rows with every
 * kind of refusal, duplicates, blank and title rows, quoting, Chinese text, CSV or XLSX — both
 * give the same report and the same ledger (same events, same root) under a fixed clock.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bytesSource, fileSource, hashFile, importCommandId, importFile, importLimits, importLimitsFromEnv, importTable, provinceImportLimits, readTable, storeBatchExecutor,
  storeExecutor, utf8Aligned, type ImportReport, type TableFormat,
} from '../../src/app/registers-io/index.js';
import { EventCatalogue } from '../../src/domain/catalogue.js';
import { SuijiError } from '../../src/domain/errors.js';
import { allEventDefinitions } from '../../src/domain/events.js';
import { openStore } from '../../src/store/index.js';
import type { EventStore } from '../../src/store/port.js';
import { ByteArena, ChunkedUint32 } from '../../src/app/registers-io/arena.js';
import { KeyIndex } from '../../src/app/registers-io/key-index.js';
import { CompactStrings, sharedStringsView } from '../../src/app/registers-io/shared-strings.js';
import { actors, makeUscc } from '../domain/registers/helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const HEAD = ['统一社会信用代码', '主体名称', '主体类型', '经营规模', '行业代码', '所属区域', '管辖部门', '风险等级', '信用等级', '失信', '经营异常', '重点行业', '投诉次数', '状态'];
const departments = [
  { departmentId: 'dept-a', name: '流通发展科' },
  { departmentId: 'dept-b', name: '市场运行科' },
];
const NOW = '2026-11-25T08:00:00.000Z';
const catalogue = new EventCatalogue(allEventDefinitions);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ledger(): Promise<EventStore> {
  const dir = tempDir('suiji-streamed-');
  // A fixed clock: the root then depends only on what was appended, in what order.
  const store = await openStore({ dataDir: dir.path, clock: () => new Date(NOW), validate: (e) => void catalogue.validate(e.type, e.payload) });
  cleanups.push(dir.remove, () => store.close());
  return store;
}

/** One generated row: a valid target, or one with a given defect. */
const rowArb = fc.record({
  n: fc.integer({ min: 0, max: 40 }), // small range: duplicates happen
  name: fc.constantFrom('沂源县利民百货有限公司', '鲁村镇"老张"饭店', '南麻街道, 便民超市', '多行\n名称', '=SUM(A1)', 'Ａ𠀋商行'),
  defect: fc.constantFrom('none', 'none', 'none', 'none', 'checkChar', 'scale', 'emptyName', 'otherDept', 'unknownDept', 'control', 'count'),
  risk: fc.constantFrom('A', 'B', 'C', 'D'),
  flag: fc.constantFrom('是', '否', ''),
});
type GenRow = Omit<typeof rowArb extends fc.Arbitrary<infer T> ? T : never, 'name'> & { name: string };

function cells(r: GenRow): string[] {
  const good = makeUscc(`91370323MA3E${String(r.n).padStart(5, '0')}`);
  const uscc = r.defect === 'checkChar' ? `${good.slice(0, 17)}${good[17] === 'A' ? 'B' : 'A'}` : good;
  const dept = r.defect === 'otherDept' ? '市场运行科' : r.defect === 'unknownDept' ? '不存在科' : r.n % 2 ? 'dept-a' : '流通发展科';
  return [
    uscc, r.defect === 'emptyName' ? '' : r.defect === 'control' ? `${r.name}\u0007` : r.name, '企业', r.defect === 'scale' ? '巨型' : '小型', 'F5211', '鲁村镇',
    dept, r.risk, 'A', r.flag, '否', '否', r.defect === 'count' ? '-1' : String(r.n), '存续',
  ];
}

const fileArb = fc.record({
  rows: fc.array(fc.oneof({ weight: 9, arbitrary: rowArb.map((r) => cells(r)) }, { weight: 1, arbitrary: fc.constant([] as string[]) }), { maxLength: 60 }),
  title: fc.boolean(),
  bom: fc.boolean(),
});
type GenFile = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

const quote = (c: string): string => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
function csvOf(f: GenFile): Uint8Array {
  const lines = [...(f.title ? ['沂源县商务局检查对象名录库', ''] : []), HEAD.join(','), ...f.rows.map((r) => r.map(quote).join(','))];
  return new TextEncoder().encode(`${f.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`);
}
async function xlsxOf(f: GenFile): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名录');
  if (f.title) ws.addRow(['沂源县商务局检查对象名录库']);
  ws.addRow(HEAD);
  for (const r of f.rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** exceljs's streaming writer (what bench/import.ts writes; Excel does the same): the sheet comes before xl/sharedStrings.xml in the zip. */
async function xlsxSheetFirstOf(f: GenFile): Promise<Uint8Array> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('名录');
  if (f.title) ws.addRow(['沂源县商务局检查对象名录库']).commit();
  ws.addRow(HEAD).commit();
  for (const r of f.rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  return new Uint8Array(Buffer.concat(parts));
}

const common = (store: EventStore, batchSize: number) => ({
  kind: 'targets' as const, fileName: 'gen', actor: actors.opA, now: NOW, departments,
  execute: storeExecutor(store), executeBatch: storeBatchExecutor(store), batchSize,
});

/** Today's path: the whole file read into a Table, then importTable. */
async function wholeImport(bytes: Uint8Array, format: TableFormat, batchSize: number): Promise<{ report: ImportReport | SuijiError; store: EventStore }> {
  const store = await ledger();
  try {
    return { report: await importTable({ ...common(store, batchSize), table: await readTable(bytes, format), fileHash: hashFile(bytes) }), store };
  } catch (e) {
    if (e instanceof SuijiError) return { report: e, store };
    throw e;
  }
}
async function streamedImport(bytes: Uint8Array, format: TableFormat, batchSize: number): Promise<{ report: ImportReport | SuijiError; store: EventStore }> {
  const store = await ledger();
  try {
    return { report: await importFile({ ...common(store, batchSize), source: bytesSource(bytes), format }), store };
  } catch (e) {
    if (e instanceof SuijiError) return { report: e, store };
    throw e;
  }
}
const outcome = (r: ImportReport | SuijiError): unknown => (r instanceof SuijiError ? { code: r.code, details: r.details } : r);
const events = async (s: EventStore) =>
  (await s.readAll()).map((e) => ({ position: e.position, streamId: e.streamId, revision: e.revision, eventId: e.eventId, type: e.type, payload: e.payload }));

async function sameLedger(bytes: Uint8Array, format: TableFormat, batch: number): Promise<void> {
  const a = await wholeImport(bytes, format, batch);
  const b = await streamedImport(bytes, format, batch);
  expect(outcome(b.report)).toEqual(outcome(a.report));
  expect(await events(b.store)).toEqual(await events(a.store));
  expect((await b.store.head()).root).toBe((await a.store.head()).root);
}

describe('issue 13: a streamed import gives the same ledger as the whole-file import', () => {
  it('property (CSV): same report, same events, same root for generated files', async () => {
    await fc.assert(fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 25 }), async (f, batch) => sameLedger(csvOf(f), 'csv', batch)), { numRuns: 25 });
  }, 240_000);

  it('property (XLSX): same report, same events, same root for generated files', async () => {
    await fc.assert(fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 25 }), async (f, batch) => sameLedger(await xlsxOf(f), 'xlsx', batch)), { numRuns: 8 });
  }, 240_000);

  it('property (XLSX with the sheet before its shared strings, read reordered: zip-order.ts): same report, same events, same root', async () => {
    await fc.assert(fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 25 }), async (f, batch) => sameLedger(await xlsxSheetFirstOf(f), 'xlsx', batch)), { numRuns: 8 });
  }, 240_000);

  it('L4: the streamed re-import of the same file is a no-op (file-derived event ids): head unchanged, every row unchanged', async () => {
    const f: GenFile = { rows: Array.from({ length: 30 }, (_, n) => cells({ n, name: '沂源县利民百货有限公司', defect: 'none', risk: 'B', flag: '否' })), title: false, bom: true };
    const { store } = await streamedImport(csvOf(f), 'csv', 7);
    const head = await store.head();
    const again = await importFile({ ...common(store, 7), source: bytesSource(csvOf(f)), format: 'csv' });
    expect(again).toMatchObject({ total: 30, unchanged: 30, created: 0, rejected: 0 });
    expect((await store.head()).root).toBe(head.root);
  });

  it('a GB18030 CSV and one valid in neither encoding are decoded as decodeText decodes them whole', async () => {
    const text = `${HEAD.join(',')}\r\n${cells({ n: 1, name: '沂源县利民百货有限公司', defect: 'none', risk: 'B', flag: '是' }).join(',')}\r\n`;
    const utf8 = new TextEncoder().encode(text);
    // Node has no GB18030 encoder: 利民 written in GBK bytes (C0FB C3F1), under an ASCII header, is valid GB18030 and not UTF-8.
    const gbk = Buffer.concat([Buffer.from('uscc,name\r\n'), Buffer.from([0xc0, 0xfb, 0xc3, 0xf1]), Buffer.from(',x\r\n')]);
    for (const bytes of [utf8, new Uint8Array(gbk), new Uint8Array([...utf8, 0xff, 0xfe, 0x0d, 0x0a])]) await sameLedger(bytes, 'csv', 3);
  });

  it('regression (exceljs decodes each inflated chunk alone: a Chinese character cut in two became U+FFFD): chunks are re-cut at UTF-8 boundaries', async () => {
    const text = '利民百货有限公司𠀋'.repeat(50);
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 5, 7, 64]) {
      const chunks = async function* () {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      };
      const out: Buffer[] = [];
      for await (const c of utf8Aligned(chunks())) {
        expect(new TextDecoder('utf-8', { fatal: true }).decode(c)).not.toContain('\uFFFD');
        out.push(c);
      }
      expect(Buffer.concat(out).toString()).toBe(text);
    }
  });

  it('a large XLSX streamed from disk (more than one inflate chunk of Chinese shared strings) reads exactly, with no U+FFFD', async () => {
    const dir = tempDir('suiji-streamed-xlsx-');
    cleanups.push(dir.remove);
    const f: GenFile = { rows: Array.from({ length: 3000 }, (_, n) => cells({ n: n % 40, name: `沂源县利民百货有限公司第${n}分店`, defect: 'none', risk: 'B', flag: '否' })), title: false, bom: false };
    const path = join(dir.path, 'big.xlsx');
    writeFileSync(path, await xlsxOf(f));
    const store = await ledger();
    const r = await importFile({ ...common(store, 200), source: fileSource(path), format: 'xlsx' });
    expect(r.total).toBe(3000);
    expect(r.errors.filter((e) => e.code !== 'VALIDATION_FAILED' || !/重复/.test(e.messageZh))).toEqual([]);
    const names = (await store.readAll()).map((e) => (e.payload as { name?: string }).name).filter((n): n is string => typeof n === 'string');
    expect(names.some((n) => n.includes('\uFFFD'))).toBe(false);
    expect(names).toHaveLength(40);
  });

  it('the limits stop a streamed import before anything is written: rows, columns, file size, zip bomb (declared size)', async () => {
    const rows = Array.from({ length: 10 }, (_, n) => cells({ n, name: '沂源县利民百货有限公司', defect: 'none', risk: 'B', flag: '否' }));
    const csv = csvOf({ rows, title: false, bom: false });
    const cases: [Uint8Array, TableFormat, Partial<typeof provinceImportLimits>, string][] = [
      [csv, 'csv', { maxRows: 5 }, 'maxRows'],
      [csv, 'csv', { maxColumns: 5 }, 'maxColumns'],
      [csv, 'csv', { maxFileBytes: 100 }, 'maxFileBytes'],
      [await xlsxOf({ rows, title: false, bom: false }), 'xlsx', { maxUncompressedBytes: 1000 }, 'maxUncompressedBytes'],
      [await xlsxOf({ rows, title: false, bom: false }), 'xlsx', { maxRows: 5 }, 'maxRows'],
    ];
    for (const [bytes, format, limits, name] of cases) {
      const store = await ledger();
      const head = await store.head();
      const e = await importFile({ ...common(store, 3), source: bytesSource(bytes), format, limits: importLimits(limits) }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SuijiError);
      expect((e as SuijiError).code).toBe('PAYLOAD_TOO_LARGE');
      expect((e as SuijiError).details.limit).toBe(name);
      expect((await store.head()).size).toBe(head.size);
    }
  });
});

describe('XLSX shared strings kept compact', () => {
  it('regression (exceljs cached every shared string as a JS string: 338 MiB to read 200,000 rows): CompactStrings gives back each string as pushed, across slabs; rich text as its text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant('沂源县利民百货有限公司'.repeat(1000))), { maxLength: 300 }), (texts) => {
        const store = new CompactStrings();
        const view = sharedStringsView(store);
        for (const t of texts) view.push(t);
        view.push({ richText: [{ text: '利民' }, { text: '百货' }] });
        view.push(null);
        texts.forEach((t, i) => expect(view[i]).toBe(t));
        expect(view[texts.length]).toBe('利民百货');
        expect(view[texts.length + 1]).toBe('');
        expect(view[texts.length + 2]).toBeUndefined();
      }),
      { numRuns: 30 },
    );
  });
});

describe('duplicate keys within a file', () => {
  it('KeyIndex answers exactly as a Map would: the first row of each key, through table growth', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('91370323MA3E000384', '沂源-01')), { maxLength: 3000 }), (keys) => {
        const index = new KeyIndex();
        const map = new Map<string, number>();
        keys.forEach((k, row) => {
          const expected = map.get(k);
          if (expected === undefined) map.set(k, row);
          expect(index.firstOrAdd(k, row)).toBe(expected);
        });
      }),
      { numRuns: 30 },
    );
  });
});

describe('arena storage (peak RSS: growing never copies)', () => {
  it('ByteArena: records never straddle a slab, a record larger than a slab gets its own, and every address reads back its bytes', () => {
    const arena = new ByteArena();
    const sizes = [10, (1 << 20) - 12, 5, 3 << 20, 7, 1 << 19, 1 << 19, 1];
    const at = sizes.map((n, k) => {
      const address = arena.alloc(n);
      arena.slab(address).fill(k, arena.offset(address), arena.offset(address) + n);
      return address;
    });
    sizes.forEach((n, k) => {
      const slab = arena.slab(at[k]!);
      const o = arena.offset(at[k]!);
      expect(o + n).toBeLessThanOrEqual(slab.length);
      expect(slab.subarray(o, o + n).every((b) => b === k)).toBe(true);
    });
  });

  it('ChunkedUint32 keeps every value across chunk boundaries', () => {
    const list = new ChunkedUint32();
    for (let i = 0; i < 200_000; i++) list.push((i * 2654435761) >>> 0);
    expect(list.length).toBe(200_000);
    for (const i of [0, 65_535, 65_536, 131_072, 199_999]) expect(list.get(i)).toBe((i * 2654435761) >>> 0);
  });

  it('KeyIndex at scale: 150,000 credit-code-like keys over several slabs and table growths, each duplicate answered with its first row', () => {
    const index = new KeyIndex();
    const key = (i: number): string => `91370323MA${String(i).padStart(7, '0')}号`;
    for (let i = 0; i < 150_000; i++) expect(index.firstOrAdd(key(i), i + 2)).toBeUndefined();
    for (const i of [0, 1, 65_536, 149_999]) expect(index.firstOrAdd(key(i), 999_999)).toBe(i + 2);
    expect(index.firstOrAdd(key(150_000), 5)).toBeUndefined();
  });
});

describe('import command ids', () => {
  it('L4: importCommandId on node:crypto is byte for byte the @noble id earlier imports were written under (a re-import stays a no-op)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constantFrom('targets' as const, 'inspectors' as const), fc.nat(), (h, kind, row) => {
        expect(importCommandId(h, kind, row)).toBe(`import-${bytesToHex(sha256(utf8ToBytes(`suiji/import/1\u0000${h}\u0000${kind}\u0000${row}`))).slice(0, 32)}`);
      }),
    );
  });
});

describe('A4: import limits are configuration', () => {
  it('A4: SUIJI_IMPORT_LIMITS=province lifts the county caps; a SUIJI_IMPORT_MAX_* variable overrides one', () => {
    expect(importLimitsFromEnv({})).toEqual(importLimits());
    expect(importLimitsFromEnv({ SUIJI_IMPORT_LIMITS: 'province' })).toEqual(provinceImportLimits);
    expect(importLimitsFromEnv({ SUIJI_IMPORT_LIMITS: 'province', SUIJI_IMPORT_MAX_ROWS: '3000000' }).maxRows).toBe(3_000_000);
    expect(importLimitsFromEnv({ SUIJI_IMPORT_MAX_FILE_BYTES: '1048576' }).maxFileBytes).toBe(1_048_576);
  });

  it('A4: a bad setting is refused naming the variable, never replaced by a default', () => {
    for (const env of [{ SUIJI_IMPORT_LIMITS: 'country' }, { SUIJI_IMPORT_MAX_ROWS: '0' }, { SUIJI_IMPORT_MAX_ROWS: '1e6' }, { SUIJI_IMPORT_MAX_COLUMNS: '-3' }]) {
      const e = (() => {
        try {
          importLimitsFromEnv(env);
        } catch (x) {
          return x;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(SuijiError);
      expect((e as SuijiError).details.field).toBe(Object.keys(env)[0]);
      expect((e as SuijiError).messageZh).toMatch(/导入限制配置错误/);
    }
  });
});
