/**
 * Append-only storage for what an import must keep per row (the key index, an XLSX's shared
 * strings) without V8 objects: bytes in 1 MiB slabs and numbers in 64 Ki-entry chunks. Growing
 * adds a slab or a chunk and never copies, so the peak is what is held, not twice it (a doubling
 * array holds both copies while it copies: docs/performance.md "Imports", third pass).
 */
const SLAB = 1 << 20;
const CHUNK = 1 << 16;

/** Bytes addressed by one number (slab × 1 MiB + offset); a record never straddles two slabs. */
export class ByteArena {
  private readonly slabs: Buffer[] = [];
  private used = SLAB;

  /** Room for `bytes` bytes: returns the address; write through `slab(address)` at `offset(address)`. */
  alloc(bytes: number): number {
    if (this.used + bytes > SLAB || this.slabs.length === 0) {
      // A record larger than a slab gets a slab of its own (a long shared string); the next record starts a new one.
      this.slabs.push(Buffer.allocUnsafe(Math.max(SLAB, bytes)));
      this.used = 0;
    }
    const address = (this.slabs.length - 1) * SLAB + this.used;
    // Addresses are kept in Uint32Arrays: past 4 GiB they would wrap and read another record.
    if (address + bytes > 2 ** 32) throw new RangeError(`ByteArena: more than 4 GiB (${address + bytes} bytes)`);
    this.used = bytes > SLAB ? SLAB : this.used + bytes;
    return address;
  }

  slab(address: number): Buffer {
    return this.slabs[Math.floor(address / SLAB)]!;
  }

  offset(address: number): number {
    return address % SLAB;
  }
}

/** A growable list of unsigned 32-bit numbers, in chunks: no copy when it grows. */
export class ChunkedUint32 {
  private readonly chunks: Uint32Array[] = [];
  length = 0;

  push(value: number): number {
    if (this.length % CHUNK === 0) this.chunks.push(new Uint32Array(CHUNK));
    this.chunks[this.chunks.length - 1]![this.length % CHUNK] = value;
    return ++this.length;
  }

  get(i: number): number {
    return this.chunks[Math.floor(i / CHUNK)]![i % CHUNK]!;
  }
}
