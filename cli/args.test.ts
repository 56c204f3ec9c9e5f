import { parseCommandLine, type CommandLine } from './args';

const wrapping: CommandLine = {
  name: 'flakeguard rerun',
  usage: 'usage: flakeguard rerun',
  options: { manifest: { type: 'string', short: 'm' }, flaky: { type: 'boolean' } },
  jest: true,
};
const own: CommandLine = { name: 'flakeguard merge', usage: 'usage: flakeguard merge', options: { output: { type: 'string', short: 'o' } }, positionals: 2 };

const parse = (line: CommandLine, ...argv: string[]) => {
  const parsed = parseCommandLine(line, argv);
  if (parsed === 'help') throw new Error('help');
  return parsed;
};

describe('a command that starts Jest: its own options out, everything else to Jest in order', () => {
  test("unknown options, their values and positionals are Jest's, as given", () => {
    const parsed = parse(wrapping, '--config', 'sub/jest.config.js', '-m', 'm.json', '-t', 'adds one', '--flaky', '--testTimeout=9000', 'src/');
    expect(parsed.values).toEqual({ manifest: 'm.json', flaky: true });
    expect(parsed.jestArgs).toEqual(['--config', 'sub/jest.config.js', '-t', 'adds one', '--testTimeout=9000', 'src/']);
  });

  test("after -- everything is Jest's, even our own option names", () => {
    expect(parse(wrapping, '--flaky', '--', '--config', 'X', '--manifest', 'y').jestArgs).toEqual(['--config', 'X', '--manifest', 'y']);
    // The same Jest arguments with or without the --.
    expect(parse(wrapping, '--', '--config', 'X').jestArgs).toEqual(parse(wrapping, '--config', 'X').jestArgs);
  });

  test('a group of short options Jest knows is handed over once, as written', () => {
    expect(parse(wrapping, '-ci', '--flaky').jestArgs).toEqual(['-ci']);
  });

  test('a value of ours that looks like an option is a forgotten value; an inline one, a lone - and a negative number are values', () => {
    expect(() => parseCommandLine(wrapping, ['--manifest', '--flaky'])).toThrow('--manifest needs a value (see flakeguard rerun --help)');
    expect(() => parseCommandLine(wrapping, ['--manifest='])).toThrow('--manifest needs a value');
    expect(parse(wrapping, '--manifest=-odd.json').values.manifest).toBe('-odd.json');
    expect(parse(own, '-o', '-').values.output).toBe('-');
    expect(parse(wrapping, '-m', '-5').values.manifest).toBe('-5');
  });

  test('--help and -h are always ours', () => {
    expect(parseCommandLine(wrapping, ['--config', 'X', '--help'])).toBe('help');
    expect(parseCommandLine(wrapping, ['-h'])).toBe('help');
    expect(parseCommandLine(own, ['-h'])).toBe('help');
  });

  test('a boolean of ours given a value is a usage error', () => {
    expect(() => parseCommandLine(wrapping, ['--flaky=yes'])).toThrow('--flaky takes no value');
  });

  test('a boolean with an optional value takes the next word only when it qualifies', () => {
    const line: CommandLine = { ...wrapping, options: { changed: { type: 'boolean', optionalValue: (word) => word === 'main' } } };
    expect(parse(line, '--changed', 'main', 'src/')).toMatchObject({ values: { changed: 'main' }, jestArgs: ['src/'] });
    expect(parse(line, '--changed', 'src/')).toMatchObject({ values: { changed: true }, jestArgs: ['src/'] });
    expect(parse(line, '--changed=anything').values.changed).toBe('anything');
  });
});

describe('a command that does not start Jest knows every argument', () => {
  test('an unknown option is a usage error naming it and the help', () => {
    expect(() => parseCommandLine(own, ['--frobnicate'])).toThrow('unknown option --frobnicate (see flakeguard merge --help)');
    expect(() => parseCommandLine(own, ['-x'])).toThrow('unknown option -x');
  });

  test('positionals up to the count; one more is named', () => {
    expect(parse(own, 'a.json', 'b.json', '-o', 'out.json')).toEqual({ values: { output: 'out.json' }, positionals: ['a.json', 'b.json'], jestArgs: [] });
    expect(() => parseCommandLine(own, ['a', 'b', 'c'])).toThrow('unexpected argument "c"');
    expect(() => parseCommandLine({ ...own, positionals: 0 }, ['a'])).toThrow('unexpected argument "a"');
  });

  test('after -- are positionals, even when they look like options', () => {
    expect(parse(own, '--', '-weird.json').positionals).toEqual(['-weird.json']);
  });
});
