import { isSafeRef, parseHuntArgs, withoutNamePattern } from './hunt';

const refs = new Set(['main', 'origin/main', 'v1.2']);
const parse = (...argv: string[]) => {
  const args = parseHuntArgs(argv, (word) => refs.has(word));
  if (args === 'help') throw new Error('help');
  return args;
};

describe('parseHuntArgs', () => {
  it('takes its own options out and passes everything else to Jest, in order', () => {
    const args = parse('--runs', '7', '-t', 'cart total', '--shuffle', '--selectProjects=api', 'src/', '--seed', '-3', '--', '--runs');
    expect(args.jestArgs).toEqual(['-t', 'cart total', '--selectProjects=api', 'src/', '--runs']);
    expect(args).toMatchObject({ shuffle: true, seed: -3, policy: { maxRuns: 7, durationMs: null, stress: false } });
  });

  it('defaults to 20 runs, and to no run limit when only a duration is given', () => {
    expect(parse().policy).toMatchObject({ maxRuns: 20, durationMs: null, confidence: 0.95, rate: 0.2 });
    expect(parse('--duration', '10m').policy).toMatchObject({ maxRuns: null, durationMs: 600_000 });
    expect(parse('--rate', '5%', '--confidence', '0.99').policy).toMatchObject({ rate: 0.05, confidence: 0.99 });
  });

  it('takes the word after --changed as its base only when it is a git ref', () => {
    expect(parse('--changed', 'main').changed).toBe('main');
    expect(parse('--changed', 'origin/main', 'src/').jestArgs).toEqual(['src/']);
    expect(parse('--changed', 'src/').changed).toBeNull();
    expect(parse('--changed', 'src/').jestArgs).toEqual(['src/']);
    expect(parse('--changed=v1.2').changed).toBe('v1.2');
    expect(parse().changed).toBeUndefined();
  });

  it.each([
    [['--changed=--output=/tmp/x'], /--changed "--output=\/tmp\/x": not a git ref/],
    [['--changed=a;rm'], /not a git ref/],
    [['--stress', 'io'], /only --stress cpu/],
    [['--runs', '0'], /--runs "0" must be a whole number ≥ 1/],
    [['--seed', '1.5'], /--seed "1.5" must be a 32-bit integer/],
    [['--rate', '2'], /--rate "2" must be between 0 and 1/],
    [['--duration', 'soon'], /--duration "soon"/],
    [['--json'], /--json is set by flakeguard hunt itself/],
    [['--randomize'], /--randomize is set by flakeguard hunt itself/],
    [['--runs'], /--runs needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseHuntArgs(argv, () => true)).toThrow(message);
  });

  it('answers --help', () => {
    expect(parseHuntArgs(['--help'], () => false)).toBe('help');
  });
});

describe('isSafeRef', () => {
  it.each(['main', 'origin/HEAD', 'release-1.2', 'feature/x_y'])('accepts %s', (ref) => expect(isSafeRef(ref)).toBe(true));
  it.each(['-x', '--upload-pack=x', 'a b', 'a;b', 'HEAD~1', 'a..b^', ''])('refuses %p', (ref) => expect(isSafeRef(ref)).toBe(false));
});

describe('withoutNamePattern', () => {
  it("drops the user's -t in every spelling, and nothing else", () => {
    expect(withoutNamePattern(['-t', 'a b', '--ci', '--testNamePattern=x', '--testNamePattern', 'y', '-t=z', 'src/'])).toEqual(['--ci', 'src/']);
  });
});
