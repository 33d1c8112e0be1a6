/**
 * RFC 6962 §2.1 Merkle Tree Hash over the ledger's leaves, and an incremental frontier that
 * keeps the root current in O(log n) per append.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** RFC 6962 §2.1: leaf hashes are prefixed with 0x00, interior nodes with 0x01. */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;

export function leafHash(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(data.length + 1);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return sha256(buf);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(65);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 33);
  return sha256(buf);
}

/** MTH({}) = SHA-256 of the empty string (RFC 6962 §2.1). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** Largest power of two strictly less than n (n > 1), the split point k of RFC 6962 §2.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH by the RFC's recursive definition, over leaf hashes. For checking; the frontier is the fast path. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const mth = (lo: number, hi: number): Uint8Array => {
    const n = hi - lo;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return leaves[lo]!;
    const k = splitPoint(n);
    return nodeHash(mth(lo, lo + k), mth(lo + k, hi));
  };
  return mth(0, leaves.length);
}

/** SHA-256(0x01 ‖ left ‖ right); the store may pass a faster implementation of the same bytes. */
export type NodeHasher = (left: Uint8Array, right: Uint8Array) => Uint8Array;

/**
 * The roots of the perfect subtrees that make up a tree of `size` leaves, largest first —
 * one per set bit of `size`. Appending merges equal-sized subtrees like a binary counter.
 */
export class MerkleFrontier {
  private constructor(
    private count: number,
    private readonly nodes: Uint8Array[],
    private readonly hashNode: NodeHasher,
  ) {}

  static empty(hashNode: NodeHasher = nodeHash): MerkleFrontier {
    return new MerkleFrontier(0, [], hashNode);
  }

  /** Restores a frontier from its persisted form; `nodes` must have one entry per set bit of `size`. */
  static restore(size: number, nodes: readonly Uint8Array[], hashNode: NodeHasher = nodeHash): MerkleFrontier {
    let bits = 0;
    for (let s = size; s > 0; s = Math.floor(s / 2)) bits += s % 2;
    if (bits !== nodes.length) throw new RangeError(`MerkleFrontier: ${nodes.length} nodes for size ${size}`);
    return new MerkleFrontier(size, [...nodes], hashNode);
  }

  get size(): number {
    return this.count;
  }

  get subtreeRoots(): readonly Uint8Array[] {
    return this.nodes;
  }

  push(leaf: Uint8Array): void {
    let node = leaf;
    for (let s = this.count; s % 2 === 1; s = Math.floor(s / 2)) node = this.hashNode(this.nodes.pop()!, node);
    this.nodes.push(node);
    this.count += 1;
  }

  /** RFC 6962 MTH of the current tree: fold the subtree roots from the right. */
  root(): Uint8Array {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let acc = this.nodes[this.nodes.length - 1]!;
    for (let i = this.nodes.length - 2; i >= 0; i--) acc = this.hashNode(this.nodes[i]!, acc);
    return acc;
  }

  clone(): MerkleFrontier {
    return new MerkleFrontier(this.count, [...this.nodes], this.hashNode);
  }
}
