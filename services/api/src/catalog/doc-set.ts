/**
 * The documents of one long list of matches as a bitmap, with the number of documents before
 * every 32 of them: whether a document is in the list, and where, costs a few operations
 * instead of a walk through the list. A list of a word found in many documents is probed this
 * way when it is intersected with a shorter one, so an intersection costs the shorter list's
 * length. The set takes N/4 bytes for N documents: it is made only for lists of at least
 * N/16 matches, whose ids and scores take N/2 bytes or more.
 */
export class DocSet {
  readonly #bits: Int32Array;
  readonly #before: Int32Array;

  constructor(ids: Int32Array, count: number, documents: number) {
    const words = (documents + 31) >>> 5;
    this.#bits = new Int32Array(words);
    this.#before = new Int32Array(words);
    for (let k = 0; k < count; k++) {
      const id = ids[k]!;
      this.#bits[id >>> 5]! |= 1 << (id & 31);
    }
    for (let w = 0, seen = 0; w < words; w++) {
      this.#before[w] = seen;
      seen += bitCount(this.#bits[w]!);
    }
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bits.byteLength + this.#before.byteLength;
  }

  /** How many documents both sets hold. */
  sharedWith(other: DocSet): number {
    const a = this.#bits;
    const b = other.#bits;
    let count = 0;
    for (let w = 0; w < a.length; w++) {
      const both = a[w]! & b[w]!;
      if (both !== 0) count += bitCount(both);
    }
    return count;
  }

  /** The index of `id` in the list the set was made from, or -1 when it is not there. */
  slotOf(id: number): number {
    const word = this.#bits[id >>> 5]!;
    const bit = 1 << (id & 31);
    if ((word & bit) === 0) return -1;
    return this.#before[id >>> 5]! + bitCount(word & (bit - 1));
  }
}

/** Whether a list of `count` matches among `documents` is long enough to be probed through a `DocSet`. */
export function worthADocSet(count: number, documents: number): boolean {
  return count * 16 >= documents;
}

// Set bits of a 32-bit integer.
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
