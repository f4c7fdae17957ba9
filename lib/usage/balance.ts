import "server-only";
import type { Db, Tx } from "@/lib/db";

/**
 * The running balance of one workspace's ledger: B(k) = Σ amount of its ledger entries with id ≤ k,
 * the workspace's total credits (Σ of its grants' remaining) right after entry k.
 *
 * Why ledger ids: every write to a workspace's grants and ledger happens under the workspace's
 * advisory lock (lib/credits/ledger.ts lockWorkspace, credits_charge), and ids are drawn inside it, so
 * one workspace's entries are numbered in the order they happened, and any snapshot sees a prefix of
 * them: once computed, B(k) never changes. That lets a long export reuse values across statements.
 *
 * How: values already known are kept (B(0) = 0 always). Each requested id k lies between two known
 * points, or between one and "the top", where B = Σ grants' remaining (one row per grant, cheap). A
 * run of requested ids between the same two points is reached by summing the entries between
 * neighbours, from both ends, skipping the widest gap: the newest page scans the entries after its
 * oldest event, a deep page those before its newest, an export only the stretch since its last
 * batch. One statement per call sums all the stretches at once, bucketed by the requested ids
 * (width_bucket), so no row of the ledger is read twice and none outside the stretches.
 */
export class RunningBalance {
  /** Known points, ascending by id. */
  private ids: bigint[] = [0n];
  private values: number[] = [0];

  /**
   * @param capacity how many known points to keep: past it, every other older point is dropped (the
   *   newest computed stay), so an export's memory stays flat while later ids still find a point nearby.
   */
  constructor(
    readonly workspaceId: string,
    private readonly capacity = 4096,
  ) {}

  /** B(id) if already known. */
  known(id: bigint): number | undefined {
    const i = this.indexOf(id);
    return this.ids[i] === id ? this.values[i] : undefined;
  }

  /** The workspace's balance right after each given ledger entry id (0 = before any entry). */
  async after(client: Db | Tx, entryIds: Iterable<bigint>): Promise<Map<bigint, number>> {
    const result = new Map<bigint, number>();
    const missing: bigint[] = [];
    for (const id of new Set(entryIds)) {
      const value = this.known(id);
      if (value === undefined) missing.push(id);
      else result.set(id, value);
    }
    if (missing.length > 0) for (const [id, value] of await this.compute(client, missing.sort(compare))) result.set(id, value);
    return result;
  }

  /** Index of the first known id ≥ `id`. */
  private indexOf(id: bigint): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private async compute(client: Db | Tx, missing: bigint[]): Promise<[bigint, number][]> {
    // Group the missing ids into runs that lie between the same two known points (or a point and the top).
    type Run = { left: bigint; right: bigint | null; ids: bigint[] };
    const runs: Run[] = [];
    for (const id of missing) {
      const i = this.indexOf(id);
      const left = this.ids[i - 1]!; // ids[0] = 0n < every entry id
      const right = i < this.ids.length ? this.ids[i]! : null;
      const last = runs[runs.length - 1];
      if (last && last.left === left) last.ids.push(id);
      else runs.push({ left, right, ids: [id] });
    }

    // The top gap's width is estimated from the newest id of the whole ledger (one index lookup).
    const usesTop = runs.some((r) => r.right === null);
    const maxId = usesTop ? await newestEntryId(client) : 0n;

    // Per run, skip its widest gap: the ids left of it are reached from the left point, the rest from the right.
    type Chain = { from: bigint | null; ids: bigint[] }; // from: a known id, or null for the top; ids in walking order
    const chains: Chain[] = [];
    const ranges: { lo: bigint; hi: bigint | null }[] = []; // (lo, hi], hi null = no upper bound
    const points = new Set<bigint>();
    for (const run of runs) {
      const gaps = [run.ids[0]! - run.left];
      for (let i = 1; i < run.ids.length; i++) gaps.push(run.ids[i]! - run.ids[i - 1]!);
      const lastId = run.ids[run.ids.length - 1]!;
      gaps.push(run.right === null ? (maxId > lastId ? maxId - lastId : 0n) : run.right - lastId);
      let skip = 0;
      for (let i = 1; i < gaps.length; i++) if (gaps[i]! > gaps[skip]!) skip = i;
      const leftIds = run.ids.slice(0, skip);
      const rightIds = run.ids.slice(skip).reverse();
      if (leftIds.length > 0) {
        chains.push({ from: run.left, ids: leftIds });
        ranges.push({ lo: run.left, hi: leftIds[leftIds.length - 1]! });
        points.add(run.left);
      }
      if (rightIds.length > 0) {
        chains.push({ from: run.right, ids: rightIds });
        ranges.push({ lo: rightIds[rightIds.length - 1]!, hi: run.right });
        if (run.right !== null) points.add(run.right);
      }
      for (const id of run.ids) points.add(id);
    }
    const thresholds = [...points].sort(compare);
    const top = chains.some((c) => c.from === null);

    // One statement (one snapshot): Σ amount per stretch between consecutive thresholds, over the
    // scanned ranges only, and — when a chain starts at the top — the workspace's total.
    // width_bucket(id - 1, t) = how many thresholds are < id, i.e. b for id in (t[b-1], t[b]].
    const params: unknown[] = [this.workspaceId, thresholds.map(String)];
    const conditions = mergeRanges(ranges).map((r) => {
      params.push(r.lo.toString());
      const lo = `id > $${params.length}::bigint`;
      if (r.hi === null) return lo;
      params.push(r.hi.toString());
      return `(${lo} AND id <= $${params.length}::bigint)`;
    });
    const sql = `SELECT width_bucket(id - 1, $2::bigint[]) AS b, sum(amount)::bigint AS s
        FROM "LedgerEntry" WHERE "workspaceId" = $1 AND (${conditions.join(" OR ")}) GROUP BY 1
      ${top ? `UNION ALL SELECT -1, coalesce(sum(remaining), 0)::bigint FROM "CreditGrant" WHERE "workspaceId" = $1` : ""}`;
    const rows = await client.$queryRawUnsafe<{ b: number; s: bigint }[]>(sql, ...params);
    const stretch = new Map(rows.map((r) => [Number(r.b), Number(r.s)]));
    const position = new Map(thresholds.map((id, i) => [id, i]));
    const sumUpTo = (id: bigint) => stretch.get(position.get(id)!) ?? 0; // Σ (previous threshold, id]
    const total = stretch.get(-1) ?? 0;

    const found: [bigint, number][] = [];
    for (const chain of chains) {
      if (chain.from !== null && chain.from < chain.ids[0]!) {
        // Walking up from a known point: B(id) = B(previous) + Σ (previous, id].
        let value = this.known(chain.from)!;
        for (const id of chain.ids) {
          value += sumUpTo(id);
          found.push([id, value]);
        }
      } else {
        // Walking down from a known point or the top: B(id) = B(next) − Σ (id, next].
        let value = chain.from === null ? total : this.known(chain.from)!;
        let next = chain.from;
        for (const id of chain.ids) {
          value -= next === null ? (stretch.get(thresholds.length) ?? 0) : sumUpTo(next);
          found.push([id, value]);
          next = id;
        }
      }
    }
    this.remember(found);
    return found;
  }

  /** Merges newly computed points into the sorted known ones (a linear merge: exports add many). */
  private remember(computed: [bigint, number][]): void {
    const found = [...computed].sort((a, b) => compare(a[0], b[0]));
    const ids: bigint[] = [];
    const values: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.ids.length || j < found.length) {
      const fresh = found[j];
      if (fresh && (i >= this.ids.length || fresh[0] < this.ids[i]!)) {
        ids.push(fresh[0]);
        values.push(fresh[1]);
        j++;
      } else {
        if (fresh && fresh[0] === this.ids[i]) j++; // already known (the same value)
        ids.push(this.ids[i]!);
        values.push(this.values[i]!);
        i++;
      }
    }
    this.ids = ids;
    this.values = values;
    if (this.ids.length > this.capacity) this.thin(new Set(found.map(([id]) => id)));
  }

  /** Drops every other point, except B(0) and the points just computed. */
  private thin(keep: Set<bigint>): void {
    const ids: bigint[] = [];
    const values: number[] = [];
    this.ids.forEach((id, i) => {
      if (i === 0 || i % 2 === 1 || keep.has(id)) {
        ids.push(id);
        values.push(this.values[i]!);
      }
    });
    this.ids = ids;
    this.values = values;
  }
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function newestEntryId(client: Db | Tx): Promise<bigint> {
  const rows = await client.$queryRawUnsafe<{ id: bigint | null }[]>(`SELECT max(id) AS id FROM "LedgerEntry"`);
  return BigInt(rows[0]?.id ?? 0);
}

/** Sorted, overlapping or touching (lo, hi] ranges merged into one. */
function mergeRanges(ranges: { lo: bigint; hi: bigint | null }[]): { lo: bigint; hi: bigint | null }[] {
  const sorted = [...ranges].sort((a, b) => compare(a.lo, b.lo));
  const out: { lo: bigint; hi: bigint | null }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && (last.hi === null || r.lo <= last.hi)) {
      if (last.hi !== null && (r.hi === null || r.hi > last.hi)) last.hi = r.hi;
    } else out.push({ ...r });
  }
  return out;
}
