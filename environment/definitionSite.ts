// Where a function was defined, asked of V8 through Node's inspector, for a member of a core module that a library
// replaced while the test file loaded (nock patching http.request as `import nock from 'nock'` runs): no stack of
// ours saw that assignment, and the user's line is the import of the library that defines the replacement.
//
// Asked only for a leak that has no other location (rare, once per file at most): enabling the debugger domain lists
// every script the process loaded, which costs tens of milliseconds.

import * as inspector from 'inspector';
import { fileURLToPath } from 'url';

export interface Definition {
  /** The file the function's code is in (absolute). */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

/** Where each function's code is, as V8 knows it; null for a native function or when the inspector cannot say. */
export function definitionSites(fns: readonly unknown[]): Array<Definition | null> {
  const sites: Array<Definition | null> = fns.map(() => null);
  if (!fns.some((fn) => typeof fn === 'function')) return sites;
  const session = new inspector.Session();
  const key = `__flakeguardDefinitionProbe${process.pid}`;
  const holder = globalThis as Record<string, unknown>;
  try {
    session.connect();
    const urls = new Map<string, string>();
    session.on('Debugger.scriptParsed', ({ params }: { params: { scriptId: string; url: string } }) => urls.set(params.scriptId, params.url));
    // Same-thread sessions answer synchronously: every callback below has run when post() returns.
    session.post('Debugger.enable', () => undefined);
    fns.forEach((fn, index) => {
      if (typeof fn !== 'function') return;
      holder[key] = fn;
      session.post('Runtime.evaluate', { expression: `globalThis[${JSON.stringify(key)}]`, objectGroup: 'flakeguard' }, (error, result) => {
        const objectId = error ? undefined : result?.result?.objectId;
        if (!objectId) return;
        session.post('Runtime.getProperties', { objectId, ownProperties: true }, (failed, properties) => {
          const location = failed
            ? undefined
            : (properties?.internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as
                { scriptId: string; lineNumber: number; columnNumber: number } | undefined);
          const url = location ? urls.get(location.scriptId) : undefined;
          const file = url ? fileOf(url) : null;
          if (location && file) sites[index] = { file, line: location.lineNumber + 1, column: location.columnNumber + 1 };
        });
      });
    });
    session.post('Runtime.releaseObjectGroup', { objectGroup: 'flakeguard' });
    session.post('Debugger.disable');
  } catch {
    // no inspector in this Node, or it refused: no location, as before
  } finally {
    delete holder[key];
    try {
      session.disconnect();
    } catch {
      // never connected
    }
  }
  return sites;
}

/** A script URL as a file path: `file:///a/b.js` and Jest's plain `/a/b.js`; null for `node:…` and the like. */
function fileOf(url: string): string | null {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url) ? url : null;
}

/** The package a file under node_modules belongs to (`nock`, `@scope/name`), or null for the user's own file. */
export function packageOf(file: string): string | null {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return null;
  const first = parts[at + 1]!;
  return first.startsWith('@') && at + 2 < parts.length ? `${first}/${parts[at + 2]}` : first;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `import x from 'pkg'`, `import 'pkg/sub'`, `require('pkg')`, `import('pkg')`, `jest.requireActual('pkg')`. */
export function importOf(pkg: string): RegExp {
  return new RegExp(String.raw`(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire(?:Actual)?\s*\(\s*)['"\x60]${escapeRegExp(pkg)}(?:\/[^'"\x60]*)?['"\x60]`);
}
