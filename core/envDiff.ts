// Diffing `process.env` and the global object's keys between the start and the end of a test, and undoing the diff.

export type EnvSnapshot = Record<string, string>;

export interface EnvChange {
  key: string;
  kind: 'added' | 'changed' | 'removed';
}

/** A copy of `env`'s own enumerable string values (what `process.env` holds). */
export function snapshotEnv(env: Record<string, unknown>): EnvSnapshot {
  const copy: EnvSnapshot = {};
  for (const key of Object.keys(env)) copy[key] = env[key] as string;
  return copy;
}

/** Keys of `env` that differ from `before`, in a stable order (added and changed in `env`'s order, then removed). */
export function diffEnv(before: EnvSnapshot, env: Record<string, unknown>): EnvChange[] {
  const changes: EnvChange[] = [];
  const keys = Object.keys(env);
  let seen = 0;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(before, key)) {
      changes.push({ key, kind: 'added' });
    } else {
      seen++;
      if (before[key] !== env[key]) changes.push({ key, kind: 'changed' });
    }
  }
  if (seen !== Object.keys(before).length) {
    for (const key of Object.keys(before)) {
      if (!Object.prototype.hasOwnProperty.call(env, key)) changes.push({ key, kind: 'removed' });
    }
  }
  return changes;
}

/** Puts `env` back to `before` for the given changes. */
export function restoreEnv(before: EnvSnapshot, env: Record<string, unknown>, changes: readonly EnvChange[]): void {
  for (const { key, kind } of changes) {
    if (kind === 'added') delete env[key];
    else env[key] = before[key];
  }
}

/** Keys in `after` that are not in `before`. Cheap when nothing changed (same keys, same order). */
export function addedKeys<Key extends PropertyKey>(before: readonly Key[], after: readonly Key[]): Key[] {
  if (before.length === after.length) {
    let same = true;
    for (let i = 0; i < before.length; i++) {
      if (before[i] !== after[i]) {
        same = false;
        break;
      }
    }
    if (same) return [];
  }
  const known = new Set(before);
  return after.filter((key) => !known.has(key));
}
