import { randomFillSync } from "node:crypto";

/**
 * Random bytes are drawn from the CSPRNG 4 KB at a time and handed out 16 per id: one draw (and one trip
 * through Next's instrumented `crypto`) per 256 ids instead of one per id — every debit makes one.
 * A slice is never handed out twice, and nothing keeps it past the id it became.
 */
const RANDOM_POOL = Buffer.alloc(4096);
let randomAt = RANDOM_POOL.length;
function randomSixteen(): Buffer {
  if (randomAt + 16 > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    randomAt = 0;
  }
  randomAt += 16;
  return RANDOM_POOL.subarray(randomAt - 16, randomAt);
}

/** The last timestamp and 12-bit sequence this process put in an id (RFC 9562 §6.2, method 1). */
let last = { ms: -1, seq: 0 };

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence, then random bits. Time-ordered,
 * so rows keyed by it are appended at the right edge of their primary-key index instead of touching a
 * random page per insert (a random UUIDv4 key multiplies write-ahead-log volume on the hot path).
 *
 * Ids made by one process in the same millisecond still sort in the order they were made: the sequence
 * counts up from a random start in its lower half, and when it runs out the id borrows the next
 * millisecond (so a burst of more than 4,096 ids a millisecond runs slightly ahead of the clock). Tie-breaks such as "queued events are charged first-in first-out, by (createdAt, id)"
 * rely on that.
 */
export function uuidv7(at: number = Date.now()): string {
  const bytes = randomSixteen();
  let ms = at;
  let seq: number;
  if (ms <= last.ms && last.ms - ms <= 1000) {
    // The same millisecond, one we already borrowed past, or a clock that stepped back a little:
    // count on from the last id so that ids keep the order they were made in.
    ms = last.ms;
    seq = last.seq + 1;
    if (seq > 0xfff) {
      ms += 1;
      seq = bytes.readUInt16BE(6) & 0x7ff;
    }
  } else {
    seq = bytes.readUInt16BE(6) & 0x7ff;
  }
  last = { ms, seq };
  bytes.writeUIntBE(ms, 0, 6);
  bytes.writeUInt16BE(0x7000 | seq, 6); // version 7, then the sequence
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
