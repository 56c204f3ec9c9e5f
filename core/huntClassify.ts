// Why a test that failed during a hunt is flaky: the probes that tell order-dependent tests (and their culprit)
// from tests that fail on their own or only under load, as iDFlakies classifies them.
//
// Pure: every run of Jest is the injected `Probe`, which runs the given tests in one process, in the given order,
// the target last, and says how the target ended. The order of questions:
// 1. failed more under stress, fails alone under stress and passes alone calm → timing-sensitive;
// 2. passes alone after a failing run's seed → a victim: the polluter is searched among the tests that ran before it
//    in that run's process (core/bisect), and confirmed by a pair run (polluter + victim fails, victim alone passes);
// 3. fails alone, but passed in some run → maybe brittle: the state-setter is searched among the tests that ran
//    before it in a passing run, and confirmed (state-setter + brittle passes, brittle alone fails);
// 4. anything else that failed is non-order-dependent (fails alone too, or without a culprit), and a test that
//    never passed is failing, not flaky.

import { findCulprits } from './bisect';
import type { Tally } from './huntPlan';

export type TestClass = 'clean' | 'order-dependent' | 'non-order-dependent' | 'timing-sensitive' | 'failing' | 'unresolved';
export type OrderRole = 'victim' | 'brittle';

export type ProbeOutcome = 'passed' | 'failed' | 'absent';

export interface ProbeContext {
  /** Jest's seed (decides the order of tests inside a file under --randomize, and jest.getSeed()). */
  seed: number;
  randomize: boolean;
  stressed: boolean;
}

export type Probe<T> = (tests: readonly T[], context: ProbeContext) => Promise<ProbeOutcome>;

/** One hunt run as the target saw it. */
export interface RunContext<T> extends ProbeContext {
  run: number;
  /** Tests that ran before the target in its process, in order. */
  before: T[];
}

export interface Observation<T> {
  calm: Tally;
  stressed: Tally;
  /** The first calm run in which the target failed, and the first stressed one. */
  failedCalm: RunContext<T> | null;
  failedStressed: RunContext<T> | null;
  /** The first run in which the target passed. */
  passed: RunContext<T> | null;
}

export interface Verdict<T> {
  class: TestClass;
  role: OrderRole | null;
  /** The polluter (victim) or state-setter (brittle): usually one test. */
  culprits: T[];
  /** One line per probe that decided, in the order they ran. */
  evidence: string[];
  probes: number;
}

export interface ClassifyOptions {
  /** How many times a stressed probe may be repeated before a timing test is believed to pass alone. */
  stressedAttempts?: number;
  /** Probes allowed for one culprit search. */
  maxSearchProbes?: number;
}

export async function classifyTest<T>(
  target: T,
  observation: Observation<T>,
  probe: Probe<T>,
  describe: (test: T) => string,
  options: ClassifyOptions = {},
): Promise<Verdict<T>> {
  const evidence: string[] = [];
  let probes = 0;
  const run = async (tests: readonly T[], context: ProbeContext, what: string): Promise<ProbeOutcome> => {
    probes++;
    const outcome = await probe(tests, context);
    evidence.push(`${what}${context.stressed ? ' under stress' : ''} (seed ${context.seed}): ${outcome}`);
    return outcome;
  };
  const verdict = (cls: TestClass, role: OrderRole | null = null, culprits: T[] = []): Verdict<T> => ({ class: cls, role, culprits, evidence, probes });

  const { calm, stressed } = observation;
  if (calm.failures + stressed.failures === 0) return verdict('clean');
  const rate = (tally: Tally): number => (tally.runs ? tally.failures / tally.runs : 0);

  if (observation.failedStressed && rate(stressed) > rate(calm)) {
    const context = { ...observation.failedStressed, stressed: true };
    let failedUnderStress = false;
    for (let attempt = 0; attempt < (options.stressedAttempts ?? 3) && !failedUnderStress; attempt++) {
      failedUnderStress = (await run([target], context, 'alone')) === 'failed';
    }
    if (failedUnderStress && (await run([target], { ...context, stressed: false }, 'alone')) === 'passed') return verdict('timing-sensitive');
  }

  const failed = observation.failedCalm ?? observation.failedStressed!;
  const alone = await run([target], failed, 'alone');
  if (alone === 'absent') return verdict('unresolved');
  const search = async (context: RunContext<T>, wanted: ProbeOutcome): Promise<T[] | null> => {
    const result = await findCulprits(context.before, async (subset) => (await probe([...subset, target], context)) === wanted, {
      maxProbes: options.maxSearchProbes ?? 64,
    });
    probes += result.probes;
    evidence.push(
      `searched ${context.before.length} tests that ran before it in run ${context.run} in ${result.probes} probes: ${result.culprits ? result.culprits.map(describe).join(' + ') : 'no culprit'}`,
    );
    return result.culprits;
  };
  /** The pair run again, and the target alone again: both must agree before a culprit is named. */
  const confirm = async (culprits: T[], context: RunContext<T>, pairWanted: ProbeOutcome, aloneWanted: ProbeOutcome): Promise<boolean> =>
    (await run([...culprits, target], context, `after ${culprits.map(describe).join(' + ')}`)) === pairWanted && (await run([target], context, 'alone')) === aloneWanted;

  if (alone === 'passed') {
    const culprits = await search(failed, 'failed');
    if (culprits && (await confirm(culprits, failed, 'failed', 'passed'))) return verdict('order-dependent', 'victim', culprits);
    return verdict('non-order-dependent');
  }
  // Fails alone with the failing run's seed.
  const passed = observation.passed;
  if (!passed) return verdict('failing');
  const aloneAsPassed = await run([target], passed, 'alone');
  if (aloneAsPassed === 'passed') return verdict('non-order-dependent'); // its outcome follows the seed, not the order
  const culprits = await search(passed, 'passed');
  if (culprits && (await confirm(culprits, passed, 'passed', 'failed'))) return verdict('order-dependent', 'brittle', culprits);
  return verdict('non-order-dependent');
}
