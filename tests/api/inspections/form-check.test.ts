/** Findings against the visit's combined form (E2) and photo-required questions (E4). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../registers/harness.js';
import { openTaskHarness } from '../tasks/fixtures.js';
import { pdf } from '../../evidence/fixtures.js';
import { onSite, post, preCheck, refused, seedRecordWorld, storedPhoto, type RecordWorld } from './fixtures.js';

describe('on-site findings against the visit\'s form (E2, E4)', () => {
  let h: Harness;
  let w: RecordWorld;
  let photo: string;
  beforeAll(async () => {
    h = await openTaskHarness();
    w = await seedRecordWorld(h);
    const v = w.visits[0]!;
    photo = await storedPhoto(h, w.as.I01, v, 'licence on the wall');
    expect((await post(h, w.as.I02, v, 'pre-check', preCheck)).statusCode).toBe(201);
  });
  afterAll(async () => h.close());
  const v = (): string => w.visits[0]!;
  const finding = (f: Record<string, unknown>): Record<string, unknown> => onSite([photo], { findings: [f] });

  it('E2: a finding for a question not on the visit\'s form is refused', async () => {
    const r = await refused(h, () => post(h, w.as.I01, v(), 'on-site', finding({ itemId: 'SW-02', questionId: 'SW-02/q9', answer: 'conforms' })), 400);
    expect(r.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: '/findings/0/questionId', rule: 'E2', questionId: 'SW-02/q9' } });
    expect(r.json().messageZh).toContain('检查表');
  });

  it('E2: an answer of the wrong kind (conformity / number / text) is refused, naming the field', async () => {
    for (const [questionId, answer, expected] of [['SW-02/q1', 3, 'conformity'], ['SW-02/q2', 'conforms', 'number'], ['SW-02/q3', 7, 'text']] as const) {
      const r = await refused(h, () => post(h, w.as.I01, v(), 'on-site', finding({ itemId: 'SW-02', questionId, answer, evidence: [photo] })), 400);
      expect(r.json()).toMatchObject({ details: { field: '/findings/0/answer', rule: 'E2', expected } });
    }
  });

  it('E4: a photo-required question needs evidence', async () => {
    const without = await refused(h, () => post(h, w.as.I01, v(), 'on-site', finding({ itemId: 'SW-02', questionId: 'SW-02/q3', answer: '已悬挂' })), 400);
    expect(without.json()).toMatchObject({ details: { field: '/findings/0/evidence', rule: 'E4', questionId: 'SW-02/q3' } });
    // A PDF is evidence, but not a photo.
    const doc = await h.app.inject({ method: 'POST', url: `/evidence?visitId=${v()}`, headers: { authorization: w.as.I01, 'content-type': 'application/octet-stream' }, payload: pdf('scan') });
    expect(doc.statusCode, doc.body).toBe(201);
    const docHash = (doc.json() as { sha256: string }).sha256;
    const notPhoto = await refused(h, () => post(h, w.as.I01, v(), 'on-site', onSite([photo, docHash], { findings: [{ itemId: 'SW-02', questionId: 'SW-02/q3', answer: '已悬挂', evidence: [docHash] }] })), 400);
    expect(notPhoto.json()).toMatchObject({ details: { field: '/findings/0/evidence', rule: 'E4' } });
    // A finding's evidence must be in the record's own list.
    const unlisted = await refused(h, () => post(h, w.as.I01, v(), 'on-site', onSite([photo], { findings: [{ itemId: 'SW-02', questionId: 'SW-02/q3', answer: '已悬挂', evidence: [docHash] }] })), 400);
    expect(unlisted.json()).toMatchObject({ details: { field: '/findings/0/evidence/0', rule: 'E10' } });
    const ok = await post(h, w.as.I01, v(), 'on-site', finding({ itemId: 'SW-02', questionId: 'SW-02/q3', answer: '已悬挂', evidence: [photo] }));
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
