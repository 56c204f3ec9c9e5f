// Culprit search: which of the tests that ran before a target makes the target's outcome happen (a polluter that
// makes a victim fail, a state-setter that makes a brittle test pass).
//
// Studies of order-dependent tests (iDFlakies, iFixFlakies) find that one other test is almost always enough, so
// the search first halves the candidates assuming a single culprit — log2(N) probes instead of N pair runs — and
// falls back to delta debugging (Zeller's ddmin) when no half reproduces on its own. Each probe runs a subset of
// the candidates, in their original order, followed by the target; `reproduces` says whether the target's outcome
// came back. The search is pure: the probe is injected.

export type Reproduces<T> = (subset: readonly T[]) => Promise<boolean>;

export interface CulpritSearch<T> {
  /** The smallest set found that reproduces the outcome, in run order; null when even all candidates do not. */
  culprits: T[] | null;
  /** Probes run. */
  probes: number;
}

export interface SearchOptions {
  /** Give up (culprits null) after this many probes. */
  maxProbes?: number;
}

class ProbeBudgetSpent extends Error {}

export async function findCulprits<T>(candidates: readonly T[], reproduces: Reproduces<T>, options: SearchOptions = {}): Promise<CulpritSearch<T>> {
  const maxProbes = options.maxProbes ?? 64;
  let probes = 0;
  const reproduced = new Set<string>();
  const index = new Map(candidates.map((candidate, i) => [candidate, i]));
  const key = (subset: readonly T[]): string => subset.map((item) => index.get(item)).join(',');
  const probe = async (subset: readonly T[]): Promise<boolean> => {
    if (probes >= maxProbes) throw new ProbeBudgetSpent();
    probes++;
    const yes = await reproduces(subset);
    if (yes) reproduced.add(key(subset));
    return yes;
  };
  try {
    if (candidates.length === 0 || !(await probe(candidates))) return { culprits: null, probes };
    // Halving under the single-culprit assumption: when the first half does not reproduce, the culprit is taken to
    // be in the second, unprobed; the end result is always confirmed by a probe of its own.
    let suspects: readonly T[] = candidates;
    while (suspects.length > 1) {
      const half = Math.ceil(suspects.length / 2);
      const first = suspects.slice(0, half);
      suspects = (await probe(first)) ? first : suspects.slice(half);
    }
    if (reproduced.has(key(suspects)) || (await probe(suspects))) return { culprits: [...suspects], probes };
    return { culprits: await ddmin(candidates, probe), probes };
  } catch (error) {
    if (error instanceof ProbeBudgetSpent) return { culprits: null, probes };
    throw error;
  }
}

/** Zeller's ddmin over `items`, known to reproduce: a 1-minimal subset that still does. */
async function ddmin<T>(items: readonly T[], probe: (subset: readonly T[]) => Promise<boolean>): Promise<T[]> {
  let current = [...items];
  let granularity = 2;
  while (current.length >= 2) {
    const chunks = split(current, granularity);
    let reduced = false;
    for (const chunk of chunks) {
      if (await probe(chunk)) {
        current = chunk;
        granularity = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && granularity > 2) {
      for (const chunk of chunks) {
        const complement = current.filter((item) => !chunk.includes(item));
        if (await probe(complement)) {
          current = complement;
          granularity = Math.max(granularity - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (granularity >= current.length) break;
      granularity = Math.min(current.length, granularity * 2);
    }
  }
  return current;
}

function split<T>(items: readonly T[], parts: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + Math.ceil((items.length - start) / (parts - i));
    if (end > start) chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}
