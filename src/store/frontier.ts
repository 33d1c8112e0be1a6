/**
 * RFC 6962 §2.1 leaf and interior-node hashes with node:crypto instead of @noble/hashes, for the
 * store's `MerkleFrontier`. The store is Node-only and hashes one interior node
 * per appended or verified event on average; node:crypto does that several times faster
 * (bench/ledger-verify.ts). Same algorithm and bytes: tests/store/node-hash.test.ts checks
 * every root and every persisted subtree root against `MerkleFrontier` and `merkleRoot`.
 */
import { hash } from 'node:crypto';
import { LEAF_PREFIX, MerkleFrontier, NODE_PREFIX } from '../verify/merkle.js';

const HASH_BYTES = 32;

/**
 * SHA-256 as a view on a pooled Buffer: the digest comes back as a 32-character binary (latin1) string
 * (one char per byte) and is copied into Node's shared Buffer pool, so a verification of a
 * million events does not allocate two million ArrayBuffers (measured: GC was ~10% of verify).
 */
const digest = (data: Uint8Array | string): Uint8Array => {
  const b = Buffer.from(hash('sha256', data, 'binary'), 'binary');
  return new Uint8Array(b.buffer, b.byteOffset, HASH_BYTES);
};

/** Reused input of every interior-node hash (hashing is synchronous). */
const nodeInput = new Uint8Array(1 + 2 * HASH_BYTES);
nodeInput[0] = NODE_PREFIX;

/** SHA-256(0x01 ‖ left ‖ right), RFC 6962 §2.1 interior node. */
export function nodeHashFast(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return digest(nodeInput);
}

// U+0000 is the single byte 0x00 in UTF-8, so hashing "\0" + text is SHA-256(0x00 ‖ UTF-8(text)).
const LEAF_PREFIX_CHAR = String.fromCharCode(LEAF_PREFIX);

/** SHA-256(0x00 ‖ UTF-8(canonical JSON)), the RFC 6962 leaf hash of one envelope's JCS text. */
export function leafHashOfText(canonicalJson: string): Uint8Array {
  return digest(LEAF_PREFIX_CHAR + canonicalJson);
}

/** SHA-256 of a leaf input already prefixed with 0x00 (src/store/leaf-pages.ts packs them so). */
export const leafHashOfInput = (input: Uint8Array): Uint8Array => digest(input);

/** The ledger's Merkle frontier (src/verify/merkle.ts) with node:crypto interior hashes. */
export const NodeMerkleFrontier = {
  empty: (): MerkleFrontier => MerkleFrontier.empty(nodeHashFast),
  restore: (size: number, nodes: readonly Uint8Array[]): MerkleFrontier => MerkleFrontier.restore(size, nodes, nodeHashFast),
};
