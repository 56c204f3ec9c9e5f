// The Wilson score interval of a failure rate: what hunt reports per test and what its stop rule trusts.
//
// Wilson rather than the normal approximation because hunts look at small samples and rates near 0: with 0
// failures in n runs the interval is [0, z²/(n+z²)] instead of the useless [0, 0].

export interface RateInterval {
  /** Point estimate: failures / runs (0 when there were no runs). */
  rate: number;
  low: number;
  high: number;
}

/** The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9): enough for a z-score. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Two-sided Wilson interval of `failures` out of `runs` at `confidence` (0.95 → z = 1.96). */
export function wilsonInterval(failures: number, runs: number, confidence = 0.95): RateInterval {
  if (!Number.isInteger(failures) || !Number.isInteger(runs) || failures < 0 || runs < 0 || failures > runs) {
    throw new RangeError(`wilsonInterval: need 0 ≤ failures ≤ runs, got ${failures}/${runs}`);
  }
  if (runs === 0) return { rate: 0, low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = failures / runs;
  const z2 = z * z;
  const denominator = 1 + z2 / runs;
  const centre = (p + z2 / (2 * runs)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs));
  // Clamp rounding: with 0 failures the low end is exactly 0, with all failures the high end exactly 1.
  return { rate: p, low: failures === 0 ? 0 : Math.max(0, centre - half), high: failures === runs ? 1 : Math.min(1, centre + half) };
}
