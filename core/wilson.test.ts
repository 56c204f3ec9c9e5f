import { normalQuantile, wilsonInterval } from './wilson';

describe('normalQuantile', () => {
  it.each([
    [0.975, 1.959964],
    [0.995, 2.575829],
    [0.5, 0],
    [0.01, -2.326348],
  ])('Φ⁻¹(%p) ≈ %p', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 5);
  });

  it('rejects probabilities outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => normalQuantile(0)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it('matches the textbook values (1 failure in 10, 95 %)', () => {
    const interval = wilsonInterval(1, 10);
    expect(interval.rate).toBeCloseTo(0.1, 10);
    expect(interval.low).toBeCloseTo(0.01787, 4);
    expect(interval.high).toBeCloseTo(0.40415, 4);
  });

  it('gives 0 failures in n runs an upper end of z²/(n+z²), not 0', () => {
    const z2 = 1.959964 ** 2;
    const interval = wilsonInterval(0, 20);
    expect(interval.low).toBe(0);
    expect(interval.high).toBeCloseTo(z2 / (20 + z2), 5);
  });

  it('narrows as runs grow and widens with confidence', () => {
    expect(wilsonInterval(5, 100).high).toBeLessThan(wilsonInterval(1, 20).high);
    expect(wilsonInterval(1, 20, 0.99).high).toBeGreaterThan(wilsonInterval(1, 20, 0.9).high);
  });

  it('is [0, 1] without runs, and ends at exactly 1 when every run failed', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: 0, low: 0, high: 1 });
    expect(wilsonInterval(4, 4).high).toBe(1);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
  });
});
