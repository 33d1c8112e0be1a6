/**
 * The store hashes with node:crypto for speed (src/store/frontier.ts, verify-ledger.ts,
 * envelope.ts); auditors use src/verify's @noble/hashes path. These properties prove both give
 * the same bytes (docs/ledger-format.md §3–§4, RFC 6962 §2.1), so a ledger written or verified
 * by the store verifies with src/verify alone (V4).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalize } from '../../src/verify/jcs.js';
import { envelopeLeafHash } from '../../src/verify/ledger.js';
import { MerkleFrontier, leafHash, merkleRoot, nodeHash } from '../../src/verify/merkle.js';
import { leafHashOfText, nodeHashFast, NodeMerkleFrontier } from '../../src/store/frontier.js';
import { recordedLeafHash } from '../../src/store/verify-ledger.js';
import { envelopeJcs, envelopeLeaf, partialEnvelopeLeaf } from '../../src/store/envelope.js';
import type { RecordedEvent } from '../../src/store/port.js';

const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }), fc.constantFrom('', '汉字', '😀', '\u0000'));
const outcome = (f: () => Uint8Array): string => {
  try {
    return bytesToHex(f());
  } catch (err) {
    return `throws ${(err as Error).constructor.name}`;
  }
};

describe('node:crypto hashing in the store equals the noble reference (RFC 6962 §2.1)', () => {
  it('leaf hash of canonical text: SHA-256(0x00 ‖ UTF-8(text))', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(bytesToHex(leafHashOfText(t))).toBe(bytesToHex(leafHash(utf8ToBytes(t))));
      }),
    );
  });

  it('node hash: SHA-256(0x01 ‖ left ‖ right)', () => {
    fc.assert(
      fc.property(hash32, hash32, (l, r) => {
        expect(bytesToHex(nodeHashFast(l, r))).toBe(bytesToHex(nodeHash(l, r)));
      }),
    );
  });

  it('frontier: every root and every persisted subtree root match MerkleFrontier and merkleRoot, through restore and clone', () => {
    fc.assert(
      fc.property(fc.array(hash32, { maxLength: 70 }), fc.nat({ max: 70 }), (leaves, cut) => {
        const fast = NodeMerkleFrontier.empty();
        const ref = MerkleFrontier.empty();
        expect(bytesToHex(fast.root())).toBe(bytesToHex(ref.root()));
        let current = fast;
        leaves.forEach((leaf, i) => {
          if (i === cut) current = NodeMerkleFrontier.restore(current.size, current.subtreeRoots.map((n) => Uint8Array.from(n))).clone();
          current.push(leaf);
          ref.push(leaf);
          expect(current.size).toBe(ref.size);
          expect(current.subtreeRoots.map(bytesToHex)).toEqual(ref.subtreeRoots.map(bytesToHex));
          expect(bytesToHex(current.root())).toBe(bytesToHex(ref.root()));
        });
        expect(bytesToHex(current.root())).toBe(bytesToHex(merkleRoot(leaves)));
      }),
      { numRuns: 200 },
    );
  });

  it('restore refuses a node count that does not match the size', () => {
    expect(() => NodeMerkleFrontier.restore(3, [new Uint8Array(32)])).toThrow(RangeError);
  });
});

describe('ledger leaves: store paths equal envelopeLeafHash of src/verify (docs/ledger-format.md §3)', () => {
  const json = fc.jsonValue();
  const actor = fc.record({ userId: text, role: fc.constantFrom('operator', 'inspector', 'principal'), department: text });
  const envelope = fc.record({
    position: fc.nat(),
    streamId: text,
    revision: fc.nat(),
    eventId: fc.uuid(),
    type: text,
    schemaVersion: fc.integer({ min: 1, max: 9 }),
    recordedAt: fc.constantFrom('2026-11-25T08:00:00.000Z', '2027-01-01T00:00:00.001Z'),
    actor,
    correlationId: text,
    causationId: fc.option(text, { nil: null }),
    payload: json,
    hash: fc.constant('00'.repeat(32)),
  });

  it('recordedLeafHash (verifyLedger) equals envelopeLeafHash, or both refuse (lone surrogates)', () => {
    fc.assert(
      fc.property(envelope, (e) => {
        const r = e as unknown as RecordedEvent;
        expect(outcome(() => recordedLeafHash(r))).toBe(outcome(() => envelopeLeafHash(e)));
      }),
      { numRuns: 500 },
    );
  });

  it('an envelope with an undefined member takes the generic path and still equals envelopeLeafHash', () => {
    const e = { position: 1, streamId: 's', revision: 0, eventId: 'x', type: 't', schemaVersion: 1, recordedAt: 'r', actor: { userId: 'u', role: 'operator', department: 'd' }, correlationId: 'c', causationId: undefined, payload: { a: [1, 'b'] }, hash: '' };
    const r = e as unknown as RecordedEvent;
    expect(bytesToHex(recordedLeafHash(r))).toBe(bytesToHex(envelopeLeafHash(e)));
  });

  it('envelopeLeaf (append path) and partialEnvelopeLeaf (large events) equal envelopeLeafHash of the same envelope', () => {
    fc.assert(
      fc.property(envelope, (e) => {
        fc.pre([e.streamId, e.type, e.correlationId, e.causationId ?? '', e.actor.userId, e.actor.department].every((s) => !/\p{Surrogate}/u.test(s)));
        const prepared = {
          eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, actorJson: canonicalize(e.actor),
          correlationId: e.correlationId, causationId: e.causationId, payloadJson: canonicalize(e.payload),
        };
        const at = { position: e.position, streamId: e.streamId, revision: e.revision, recordedAt: e.recordedAt };
        const { hash: _h, ...body } = e;
        expect(envelopeJcs(prepared, at)).toBe(canonicalize(body));
        const { leaf, hex } = envelopeLeaf(prepared, at);
        expect(bytesToHex(leaf)).toBe(bytesToHex(envelopeLeafHash(e)));
        expect(hex).toBe(bytesToHex(leaf));
        // The large-event path (PostgreSQL): the payload hashed before placement, then placed twice.
        const partial = partialEnvelopeLeaf(prepared);
        expect(partial.place(at).hex).toBe(hex);
        expect(partial.place({ ...at, position: at.position + 1 }).hex).toBe(envelopeLeaf(prepared, { ...at, position: at.position + 1 }).hex);
      }),
      { numRuns: 300 },
    );
  });
});
