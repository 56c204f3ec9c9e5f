import { isStressedRun, parseDuration, runSeed, runsToSettle, settlement, stopReason, type HuntPolicy } from './huntPlan';

const policy: HuntPolicy = { maxRuns: 20, durationMs: null, confidence: 0.95, rate: 0.2, stress: false };

describe('settlement', () => {
  it('is flaky after one failure, whatever the passes', () => {
    expect(settlement({ runs: 1, failures: 1 }, policy)).toBe('flaky');
    expect(settlement({ runs: 100, failures: 1 }, policy)).toBe('flaky');
  });

  it('is clean once the Wilson upper end of 0 failures drops below the rate', () => {
    const n = runsToSettle(policy);
    expect(n).toBe(16); // 3.84 / (n + 3.84) < 0.2  ⇔  n > 15.4
    expect(settlement({ runs: n - 1, failures: 0 }, policy)).toBe('open');
    expect(settlement({ runs: n, failures: 0 }, policy)).toBe('clean');
  });

  it('asks for more runs at a higher confidence or a smaller rate', () => {
    expect(runsToSettle({ confidence: 0.99, rate: 0.2 })).toBeGreaterThan(16);
    expect(runsToSettle({ confidence: 0.95, rate: 0.05 })).toBe(73);
  });
});

describe('stopReason', () => {
  const clean = { runs: 16, failures: 0 };
  it('stops when every test is settled, before the budget', () => {
    expect(stopReason([clean, { runs: 3, failures: 2 }], policy, 16, 0)).toBe('settled');
  });
  it('goes on while one test is open', () => {
    expect(stopReason([clean, { runs: 15, failures: 0 }], policy, 15, 0)).toBeNull();
  });
  it('stops at the run budget or the duration', () => {
    expect(stopReason([{ runs: 5, failures: 0 }], { ...policy, maxRuns: 5 }, 5, 0)).toBe('runs');
    expect(stopReason([{ runs: 5, failures: 0 }], { ...policy, maxRuns: null, durationMs: 1000 }, 5, 1000)).toBe('duration');
    expect(stopReason([{ runs: 5, failures: 0 }], { ...policy, maxRuns: null, durationMs: 1000 }, 5, 999)).toBeNull();
  });
  it('never stops as settled without tests, nor after a single stressed-hunt run', () => {
    expect(stopReason([], policy, 1, 0)).toBeNull();
    expect(stopReason([{ runs: 1, failures: 1 }], { ...policy, stress: true }, 1, 0)).toBeNull();
    expect(stopReason([{ runs: 2, failures: 1 }], { ...policy, stress: true }, 2, 0)).toBe('settled');
  });
});

describe('runs and seeds', () => {
  it('stresses every second run only with --stress', () => {
    expect([1, 2, 3, 4].map((i) => isStressedRun(i, { stress: true }))).toEqual([false, true, false, true]);
    expect(isStressedRun(2, { stress: false })).toBe(false);
  });

  it('derives distinct, repeatable 32-bit seeds from the hunt seed', () => {
    const seeds = Array.from({ length: 200 }, (_, i) => runSeed(42, i + 1));
    expect(new Set(seeds).size).toBe(200);
    expect(runSeed(42, 7)).toBe(seeds[6]);
    expect(runSeed(43, 7)).not.toBe(seeds[6]);
    for (const seed of seeds) expect(seed).toBe(seed | 0);
  });
});

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '10', 'ten minutes', '0m', '-5m'])('rejects %p', (text) => {
    expect(() => parseDuration(text)).toThrow(/--duration/);
  });
});
