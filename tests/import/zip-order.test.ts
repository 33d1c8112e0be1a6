import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { bytesSource, importLimits } from '../../src/app/registers-io/index.js';
import { checkZipSource } from '../../src/app/registers-io/zip-guard.js';
import { sheetsLast } from '../../src/app/registers-io/zip-order.js';
import { makeZip } from '../helpers/zip.js';

/** Entry names in the order their local headers (PK\x03\x04, APPNOTE §4.3.7) come in `bytes`. */
function localOrder(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  const names: string[] = [];
  for (let i = b.indexOf('PK\x03\x04', 0, 'latin1'); i >= 0; i = b.indexOf('PK\x03\x04', i + 4, 'latin1')) {
    const nameLength = b.readUInt16LE(i + 26);
    names.push(b.toString('utf8', i + 30, i + 30 + nameLength));
  }
  return names;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}

async function streamedXlsx(rows: number): Promise<Uint8Array> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('名录');
  for (let i = 0; i < rows; i++) ws.addRow([`9137032300000000${String(i).padStart(2, '0')}`, `利民百货${i}号`]).commit();
  ws.commit();
  await wb.commit();
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Issue 13: exceljs's stream reader spools a sheet that comes before xl/sharedStrings.xml to a
 * temporary file; the XLSX is read with its sheets moved last instead (zip-order.ts).
 */
describe('sheetsLast: the XLSX read with its sheets after the other entries (issue 13)', () => {
  it('moves the sheet after the shared strings, every byte exactly once', async () => {
    const bytes = await streamedXlsx(50);
    const before = localOrder(bytes);
    expect(before.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(before.indexOf('xl/sharedStrings.xml'));
    const source = bytesSource(bytes);
    const out = await collect(sheetsLast(source, await checkZipSource(source, importLimits())));
    const after = localOrder(out);
    expect(after.at(-1)).toBe('xl/worksheets/sheet1.xml');
    expect([...after].sort()).toEqual([...before].sort());
    expect(out.length).toBe(bytes.length);
    expect(Buffer.from(out).subarray(-200)).toEqual(Buffer.from(bytes).subarray(-200));
  });

  it('reads a zip whose sheet already comes last in its own order', async () => {
    const bytes = makeZip([{ name: 'xl/sharedStrings.xml', data: new Uint8Array([1]) }, { name: 'xl/worksheets/sheet1.xml', data: new Uint8Array([2]) }]);
    const source = bytesSource(bytes);
    expect(await collect(sheetsLast(source, await checkZipSource(source, importLimits())))).toEqual(bytes);
  });

  it('when the central directory does not cut the file into disjoint entries (two entries at one offset), reads it in its own order', async () => {
    const bytes = await streamedXlsx(5);
    const source = bytesSource(bytes);
    const layout = await checkZipSource(source, importLimits());
    const hostile = { ...layout, entries: layout.entries.map((e) => ({ ...e, localOffset: e.name.includes('sheet') ? 0 : e.localOffset })) };
    expect(await collect(sheetsLast(source, hostile))).toEqual(bytes);
    const beyond = { ...layout, entries: layout.entries.map((e, i) => (i === 0 ? { ...e, localOffset: layout.cdOffset + 10 } : e)) };
    expect(await collect(sheetsLast(source, beyond))).toEqual(bytes);
  });
});
