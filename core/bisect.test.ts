import { findCulprits } from './bisect';

const tests = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${i}`);

/** A victim that fails when every one of `polluters` ran before it (and a `cleaner` did not run after them). */
function oracle(polluters: string[], cleaner?: string) {
  const seen: string[][] = [];
  const reproduces = async (subset: readonly string[]): Promise<boolean> => {
    seen.push([...subset]);
    if (!polluters.every((p) => subset.includes(p))) return false;
    if (cleaner === undefined || !subset.includes(cleaner)) return true;
    return subset.indexOf(cleaner) < Math.max(...polluters.map((p) => subset.indexOf(p)));
  };
  return { reproduces, seen };
}

describe('findCulprits', () => {
  it.each([1, 2, 7, 32, 100])('names the one polluter among %d tests in about log2(N) + 1 probes', async (n) => {
    for (const at of [0, Math.floor(n / 2), n - 1]) {
      const { reproduces } = oracle([`t${at}`]);
      const result = await findCulprits(tests(n), reproduces);
      expect(result.culprits).toEqual([`t${at}`]);
      expect(result.probes).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 2);
    }
  });

  it('keeps the candidates in run order in every probe', async () => {
    const { reproduces, seen } = oracle(['t5']);
    await findCulprits(tests(16), reproduces);
    for (const subset of seen) expect([...subset].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(subset);
  });

  it('falls back to delta debugging when the outcome needs two tests', async () => {
    const { reproduces } = oracle(['t3', 't12']);
    const result = await findCulprits(tests(16), reproduces);
    expect(result.culprits).toEqual(['t3', 't12']);
  });

  it('says null when the full prefix does not reproduce (not order-dependent here)', async () => {
    const result = await findCulprits(tests(8), async () => false);
    expect(result).toEqual({ culprits: null, probes: 1 });
    expect((await findCulprits([], async () => true)).culprits).toBeNull();
  });

  it('confirms the suspect the halving deduced, and recovers when it was wrong', async () => {
    // Reproduces only with the whole prefix: no half, no single test does.
    const all = tests(4);
    const result = await findCulprits(all, async (subset) => subset.length === all.length);
    expect(result.culprits).toEqual(all);
  });

  it('gives up after maxProbes', async () => {
    let calls = 0;
    const result = await findCulprits(tests(64), async () => ++calls === 1, { maxProbes: 3 });
    expect(result.culprits).toBeNull();
    expect(result.probes).toBe(3);
  });
});
