import { classifyTest, type Observation, type Probe, type ProbeContext, type RunContext } from './huntClassify';

const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
const ctx = (run: number, before: string[], extra: Partial<ProbeContext> = {}): RunContext<string> => ({
  run,
  seed: 100 + run,
  randomize: true,
  stressed: false,
  before,
  ...extra,
});
const describe_ = (t: string): string => t;

function observation(partial: Partial<Observation<string>>): Observation<string> {
  return { calm: { runs: 10, failures: 0 }, stressed: { runs: 0, failures: 0 }, failedCalm: null, failedStressed: null, passed: null, ...partial };
}

/** A model suite: how the target ends, given the tests before it and the probe's context. */
function model(outcome: (before: readonly string[], context: ProbeContext) => 'passed' | 'failed') {
  const calls: Array<{ tests: string[]; context: ProbeContext }> = [];
  const probe: Probe<string> = async (tests, context) => {
    calls.push({ tests: [...tests], context });
    return outcome(tests.slice(0, -1), context);
  };
  return { probe, calls };
}

describe('classifyTest', () => {
  it('names the polluter of a victim, confirmed by a pair run and an alone run', async () => {
    const { probe, calls } = model((before) => (before.includes('t7') ? 'failed' : 'passed'));
    const verdict = await classifyTest('victim', observation({ calm: { runs: 10, failures: 4 }, failedCalm: ctx(3, names), passed: ctx(1, []) }), probe, describe_);
    expect(verdict).toMatchObject({ class: 'order-dependent', role: 'victim', culprits: ['t7'] });
    expect(calls.map((c) => c.tests).filter((t) => t.length === 2)).toContainEqual(['t7', 'victim']);
    expect(calls.filter((c) => c.tests.length === 1).length).toBeGreaterThanOrEqual(2);
    expect(verdict.probes).toBe(calls.length);
    expect(calls.every((c) => c.context.seed === 103)).toBe(true);
  });

  it('names the state-setter of a brittle test from a run it passed in', async () => {
    const { probe } = model((before) => (before.includes('t2') ? 'passed' : 'failed'));
    const verdict = await classifyTest('brittle', observation({ calm: { runs: 10, failures: 5 }, failedCalm: ctx(2, ['t5']), passed: ctx(4, names) }), probe, describe_);
    expect(verdict).toMatchObject({ class: 'order-dependent', role: 'brittle', culprits: ['t2'] });
  });

  it('calls a test whose outcome follows the seed non-order-dependent', async () => {
    const { probe } = model((_before, context) => (context.seed % 2 === 0 ? 'failed' : 'passed'));
    const verdict = await classifyTest('random', observation({ calm: { runs: 10, failures: 3 }, failedCalm: ctx(4, names), passed: ctx(3, names) }), probe, describe_);
    expect(verdict).toMatchObject({ class: 'non-order-dependent', role: null, culprits: [] });
  });

  it('calls a test that failed after others but has no culprit in band non-order-dependent', async () => {
    const { probe } = model(() => 'passed'); // passes alone and after the whole prefix, in band
    const verdict = await classifyTest('lonely', observation({ calm: { runs: 10, failures: 1 }, failedCalm: ctx(2, names) }), probe, describe_);
    expect(verdict.class).toBe('non-order-dependent');
  });

  it('calls a test that fails more under stress, fails alone stressed and passes alone calm timing-sensitive', async () => {
    const { probe } = model((_before, context) => (context.stressed ? 'failed' : 'passed'));
    const verdict = await classifyTest(
      'timing',
      observation({ calm: { runs: 5, failures: 0 }, stressed: { runs: 5, failures: 5 }, failedStressed: ctx(2, names, { stressed: true }), passed: ctx(1, names) }),
      probe,
      describe_,
    );
    expect(verdict.class).toBe('timing-sensitive');
  });

  it('does not blame stress for a victim that failed only in stressed runs', async () => {
    const { probe } = model((before) => (before.includes('t1') ? 'failed' : 'passed'));
    const verdict = await classifyTest(
      'victim',
      observation({ calm: { runs: 5, failures: 0 }, stressed: { runs: 5, failures: 2 }, failedStressed: ctx(2, names, { stressed: true }), passed: ctx(1, []) }),
      probe,
      describe_,
    );
    expect(verdict).toMatchObject({ class: 'order-dependent', role: 'victim', culprits: ['t1'] });
  });

  it('calls a test that never passed failing, and a test gone from the probe unresolved', async () => {
    const failing = await classifyTest('broken', observation({ calm: { runs: 4, failures: 4 }, failedCalm: ctx(1, names) }), model(() => 'failed').probe, describe_);
    expect(failing.class).toBe('failing');
    const gone = await classifyTest('gone', observation({ calm: { runs: 4, failures: 1 }, failedCalm: ctx(1, names) }), async () => 'absent', describe_);
    expect(gone.class).toBe('unresolved');
  });

  it('does not name a culprit the confirmation contradicts', async () => {
    // Fails after t3 only the first time it is tried as a pair: a coincidence, not a polluter.
    let pairs = 0;
    const { probe } = model((before) => {
      if (before.length === 0) return 'passed';
      if (before.length === 1 && before[0] === 't3') return ++pairs <= 1 ? 'failed' : 'passed';
      return before.includes('t3') ? 'failed' : 'passed';
    });
    const verdict = await classifyTest('victim', observation({ calm: { runs: 10, failures: 1 }, failedCalm: ctx(3, names) }), probe, describe_);
    expect(verdict.class).toBe('non-order-dependent');
  });

  it('is clean without failures, and runs nothing', async () => {
    const { probe, calls } = model(() => 'passed');
    expect((await classifyTest('ok', observation({}), probe, describe_)).class).toBe('clean');
    expect(calls).toHaveLength(0);
  });
});
