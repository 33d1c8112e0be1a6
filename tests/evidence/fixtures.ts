import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

/** Real file heads, as cameras and writers produce them: file-type recognises each by its magic bytes. */
export const jpeg = (body = 'photo'): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]), Buffer.from(body), Buffer.from([0xff, 0xd9])]);
export const pdf = (body = 'record'): Buffer => Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Title (${body}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
/** A Windows executable's DOS header ('MZ'): never evidence, whatever it is named. */
export const exe = (): Buffer => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Every file under `<data>/evidence/<sub>`, recursively (blobs or temp files). */
export function filesUnder(dataDir: string, sub: 'sha256' | 'tmp'): string[] {
  const root = join(dataDir, 'evidence', sub);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}
