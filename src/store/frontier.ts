/**
 * The RFC 6962 §2.1 Merkle frontier of src/verify/merkle.ts (`MerkleFrontier`), hashed with
 * node:crypto instead of @noble/hashes. The store is Node-only and hashes one interior node
 * per appended or verified event on average; node:crypto does that several times faster
 * (bench/ledger-verify.ts). Same algorithm and bytes: tests/store/node-hash.test.ts checks
 * every root and every persisted subtree root against `MerkleFrontier` and `merkleRoot`.
 */
import { hash } from 'node:crypto';
import { EMPTY_ROOT, LEAF_PREFIX, NODE_PREFIX } from '../verify/merkle.js';

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

export class NodeMerkleFrontier {
  private constructor(
    private count: number,
    private readonly nodes: Uint8Array[],
  ) {}

  static empty(): NodeMerkleFrontier {
    return new NodeMerkleFrontier(0, []);
  }

  /** Restores a frontier from its persisted form; `nodes` must have one entry per set bit of `size`. */
  static restore(size: number, nodes: readonly Uint8Array[]): NodeMerkleFrontier {
    let bits = 0;
    for (let s = size; s > 0; s = Math.floor(s / 2)) bits += s % 2;
    if (bits !== nodes.length) throw new RangeError(`MerkleFrontier: ${nodes.length} nodes for size ${size}`);
    return new NodeMerkleFrontier(size, [...nodes]);
  }

  get size(): number {
    return this.count;
  }

  get subtreeRoots(): readonly Uint8Array[] {
    return this.nodes;
  }

  push(leaf: Uint8Array): void {
    let node = leaf;
    for (let s = this.count; s % 2 === 1; s = Math.floor(s / 2)) node = nodeHashFast(this.nodes.pop()!, node);
    this.nodes.push(node);
    this.count += 1;
  }

  /** RFC 6962 MTH of the current tree: fold the subtree roots from the right. */
  root(): Uint8Array {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let acc = this.nodes[this.nodes.length - 1]!;
    for (let i = this.nodes.length - 2; i >= 0; i--) acc = nodeHashFast(this.nodes[i]!, acc);
    return acc;
  }

  clone(): NodeMerkleFrontier {
    return new NodeMerkleFrontier(this.count, [...this.nodes]);
  }
}
