/**
 * What the demo year's inspections (./inspections-states.ts) need before the first visit:
 *
 * - inspector user accounts: a group lists inspector ids, and an inspector acts with a user whose
 *   userId is their inspector id (docs/inspections.md, A3), so each group member the year uses
 *   gets one — registered by the demo admin through the register deciders, only when absent;
 * - a check form (E2) for every item the visits carry, published by the bureau, which keeps the
 *   unified list;
 * - small deterministic evidence files (E10): a 1×1 PNG photo and a one-page PDF record, whose
 *   bytes name the visit, so each visit's evidence is its own blob.
 */
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import type { Actor } from '../../../domain/actor.js';
import { SuijiError } from '../../../domain/errors.js';
import type { FormContent } from '../../../domain/forms/index.js';
import { routeRegisterCommand } from '../../../domain/registers/index.js';
import { currentItems, listUsers, queryInspectors } from '../../../projections/registers/index.js';
import { handleCommand } from '../../../store/handle-command.js';
import { BUREAU } from '../yiyuan.js';
import { at, operatorOf, type YearContext } from './context.js';

const demoAdmin: Actor = { userId: 'yy-admin', role: 'admin', department: BUREAU };

/** The register's inspectors by id (name and department), for the users the year registers. */
export function inspectorsById(ctx: YearContext): Map<string, { name: string; department: string }> {
  return new Map(queryInspectors(ctx.db, {}).map((i) => [i.inspectorId, { name: i.name, department: i.department }]));
}

/** The actor of an inspector's own user account (role inspector, in the inspector's department). */
export const inspectorActor = (inspectorId: string, department: string): Actor => ({ userId: inspectorId, role: 'inspector', department });

/** Registers a user account for each of `inspectorIds` that has none (userId = inspector id); returns how many were registered. */
export async function registerInspectorUsers(ctx: YearContext, inspectorIds: readonly string[], day: string): Promise<number> {
  await ctx.projections.catchUp();
  const existing = new Set(listUsers(ctx.db).map((u) => u.userId));
  const register = inspectorsById(ctx);
  let n = 0;
  for (const id of [...new Set(inspectorIds)].sort()) {
    if (existing.has(id)) continue;
    const inspector = register.get(id);
    if (!inspector) throw new Error(`demo year: inspector ${id} is not in the register`);
    const command = { type: 'RegisterUser' as const, data: { userId: id, name: inspector.name, role: 'inspector' as const, department: inspector.department }, metadata: ctx.meta(demoAdmin, at(day, '08:30')) };
    await routeRegisterCommand(command, (routed) => handleCommand(ctx.deps.store, routed));
    n++;
  }
  return n;
}

/** E2: a two-question template (a conformity check with a photo, a text note) per item, published by the bureau. */
export async function publishForms(ctx: YearContext, items: readonly string[], day: string): Promise<number> {
  await ctx.projections.catchUp();
  const names = new Map(currentItems(ctx.db).map((i) => [i.itemId, i.name]));
  let published = 0;
  for (const itemId of [...new Set(items)].sort()) {
    const name = names.get(itemId) ?? itemId;
    const content: FormContent = {
      questions: [
        { questionId: 'q1', text: `${name}：是否符合相关规定要求`, legalBasis: '《商务领域“双随机、一公开”监管工作指引》及本事项抽查依据', answer: 'conformity', photoRequired: true },
        { questionId: 'q2', text: `${name}：现场检查情况说明`, legalBasis: '《商务领域“双随机、一公开”监管工作指引》第（二十四）条', answer: 'text', photoRequired: false },
      ],
      methods: [{ kind: 'onSite' }, { kind: 'written', note: '核查经营者提供的台账、票据等书面材料' }],
      reason: '2026年度抽查检查表首版',
    };
    try {
      const r = await ctx.forms.publish(ctx.meta(operatorOf(BUREAU), at(day, '10:00')), itemId, content);
      if (r.events.length > 0) published++;
    } catch (e) {
      // An item on no current list has no form: the visit's form then lists it in itemsWithoutForm.
      if (!(e instanceof SuijiError) || e.code !== 'NOT_FOUND') throw e;
    }
  }
  return published;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** CRC-32 of PNG chunks (ISO 3309, PNG spec §5.5). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A valid 1×1 RGB PNG whose tEXt chunk names the visit: the bytes, hence the SHA-256, are the visit's own. */
export function demoPhoto(visitId: string): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from(`Comment\0suiji demo ${visitId}`, 'latin1')),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x2e, 0x7d, 0x32]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal one-object PDF naming the visit (the whole-process record's written part). */
export const demoRecordPdf = (visitId: string): Buffer =>
  Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Title (suiji demo on-site record ${visitId}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');

/** E10: stores both files through the evidence service as `actor` (a member of the unit); returns their SHA-256. */
export async function storeEvidence(ctx: YearContext, actor: Actor, visitId: string, day: string): Promise<string[]> {
  const files = [
    { name: `${visitId}-现场照片.png`, bytes: demoPhoto(visitId) },
    { name: `${visitId}-现场笔录.pdf`, bytes: demoRecordPdf(visitId) },
  ];
  const hashes: string[] = [];
  for (const f of files) {
    const r = await ctx.evidence.upload(ctx.meta(actor, at(day, '11:00')), Readable.from([f.bytes]), { fileName: f.name, visitId });
    hashes.push(r.sha256);
  }
  return hashes;
}
