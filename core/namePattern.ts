// The `--testNamePattern` that selects exactly the named tests when nothing else can: with Jest's own environment the
// rerun's selection file is not read, so a rerun names the tests by their full names (titles joined by spaces, as Jest
// matches them), each regex-escaped and anchored. Two tests of one file sharing a full name both run: a superset only.

export interface NamedTest {
  titles: readonly string[] | null;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** `^(?:name one|name two)$`, or null when a target is a whole file (a name pattern would leave its tests out). */
export function exactNamePattern(targets: readonly NamedTest[]): string | null {
  if (targets.length === 0 || targets.some((target) => target.titles === null)) return null;
  const names = [...new Set(targets.map((target) => escapeRegex(target.titles!.join(' '))))];
  return `^(?:${names.join('|')})$`;
}
