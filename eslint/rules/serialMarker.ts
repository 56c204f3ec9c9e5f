// Rule `serial-marker`: a test file that uses a fixed shared resource — a literal port given to `listen`, a fixed path
// in the OS temp dir, a database named by a fixed environment variable — must say so with `@serial` (or
// `@serial <resource>`) in its leading docblock, so jest-flakeguard's runner never runs it beside a file using the same.

import type { Rule } from 'eslint';
import { jestDocblock } from '../../io/jestHost';
import { calleePath, isCall, memberKey, methodCall, pathOf, staticString, unwrap, walk, type CallNode, type Node } from '../astPaths';
import { filePragmas } from '../docblock';

/** Environment variables that name a database or a broker every worker would share. */
const DATABASE_ENV =
  /^([A-Z0-9]+_)*(DATABASE|DB|POSTGRES(QL)?|PG|MYSQL|MARIADB|MONGO(DB)?|REDIS|AMQP|RABBITMQ|KAFKA|ELASTIC(SEARCH)?)(_[A-Z0-9]+)*_(URL|URI|DSN|HOST|CONNECTION(_STRING)?)$/;
const FS_CALL = /^(fs|fsp|fsPromises|fse|fs\.promises)\.\w+$/;
/** Calls that make a unique name out of a fixed prefix: the path they are given is not the path used. */
const UNIQUE_MAKERS = /(^|\.)(mkdtemp|mkdtempSync)$/;

interface Resource {
  node: Node;
  resource: string;
  messageId: 'port' | 'tmp' | 'database';
  data: Record<string, string>;
}

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'a test file that uses a fixed port, temp path or database must be marked @serial' },
    hasSuggestions: true,
    schema: [],
    messages: {
      port: "port {{port}} is fixed: files listening on it collide when Jest runs them in parallel. Add @serial {{resource}} (or @serial) to the file's leading docblock, or listen on port 0",
      tmp: "{{path}} is a fixed path in the OS temp dir, shared by every file that uses it. Add @serial {{resource}} (or @serial) to the file's leading docblock, or make a private one with fs.mkdtemp",
      database:
        "process.env.{{name}} names one database for every test file: files using it collide when Jest runs them in parallel. Add @serial {{resource}} (or @serial) to the file's leading docblock",
      addSerial: 'Add @serial {{resource}} to the leading docblock',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        const sourceCode = context.sourceCode;
        if (filePragmas(sourceCode, context.filename).spec.lane !== 'parallel') return;
        const constants = topLevelConstants(sourceCode.ast as unknown as { body: Node[] });
        const seen = new Set<string>();
        walk(
          sourceCode.ast as unknown as Node,
          (node) => {
            const found = portUse(node, constants) ?? tmpPathUse(node, constants) ?? databaseUse(node);
            if (!found || seen.has(found.data.key ?? found.resource)) return;
            seen.add(found.data.key ?? found.resource);
            const fix = docblockFix(sourceCode.text, found.resource);
            context.report({
              node: found.node as never,
              messageId: found.messageId,
              data: { ...found.data, resource: found.resource },
              suggest: fix ? [{ messageId: 'addSerial', data: { resource: found.resource }, fix }] : [],
            });
          },
          sourceCode.visitorKeys,
        );
      },
    };
  },
};

/** Top-level `const NAME = <literal>`: a port or a directory name kept in a constant is still fixed. */
function topLevelConstants(program: { body: Node[] }): Map<string, Node> {
  const constants = new Map<string, Node>();
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement;
    if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') continue;
    for (const declarator of declaration.declarations) {
      if (declarator.id.type === 'Identifier' && declarator.init) constants.set(declarator.id.name, declarator.init as Node);
    }
  }
  return constants;
}

function resolve(node: Node, constants: Map<string, Node>): Node {
  const bare = unwrap(node);
  return bare.type === 'Identifier' && constants.has(bare.name) ? unwrap(constants.get(bare.name)!) : bare;
}

/** `server.listen(4100)`, `listen('4100', cb)`, `listen({ port: 4100 })`, through a top-level constant. */
function portUse(node: Node, constants: Map<string, Node>): Resource | undefined {
  const call = methodCall(node);
  const isListen = call ? call.method === 'listen' : isCall(node) && calleePath(node) === 'listen';
  if (!isListen || !isCall(node) || !node.arguments[0]) return undefined;
  let argument = resolve(node.arguments[0] as Node, constants);
  if (argument.type === 'ObjectExpression') {
    const property = argument.properties.find((p) => p.type === 'Property' && !p.computed && memberName(p.key as Node) === 'port');
    if (!property || property.type !== 'Property') return undefined;
    argument = resolve(property.value as Node, constants);
  }
  const port = argument.type === 'Literal' ? Number(argument.value) : NaN;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  if (argument.type === 'Literal' && typeof argument.value === 'string' && !/^\d+$/.test(argument.value)) return undefined;
  return { node: node.arguments[0] as Node, resource: `port-${port}`, messageId: 'port', data: { port: String(port) } };
}

function memberName(key: Node): string | undefined {
  return key.type === 'Identifier' ? key.name : key.type === 'Literal' ? String(key.value) : undefined;
}

/**
 * `path.join(os.tmpdir(), 'cache')` (and `resolve`, `` `${os.tmpdir()}/cache` ``, `os.tmpdir() + '/cache'`) whose
 * other parts are all fixed; or a literal `/tmp/…` handed to an fs call. Not when it is a prefix for `mkdtemp`.
 */
function tmpPathUse(node: Node, constants: Map<string, Node>): Resource | undefined {
  let segments: Node[] | undefined;
  if (isCall(node) && /(^|\.)(join|resolve)$/.test(calleePath(node) ?? '') && node.arguments[0] && isTmpdir(resolve(node.arguments[0] as Node, constants))) {
    segments = node.arguments.slice(1) as Node[];
  } else if (node.type === 'TemplateLiteral' && node.expressions.length === 1 && isTmpdir(unwrap(node.expressions[0] as Node)) && node.quasis[0]?.value.cooked === '') {
    const rest = (node.quasis[1]?.value.cooked ?? '').replace(/^\/+/, '');
    return rest && !UNIQUE_MAKERS.test(calleePath(node.parent as CallNode) ?? '') ? tmpResource(node, rest) : undefined;
  } else if (node.type === 'BinaryExpression' && node.operator === '+' && isTmpdir(unwrap(node.left as Node))) {
    segments = [node.right as Node];
  } else if (node.type === 'Literal' && typeof node.value === 'string' && /^\/tmp\/[^/\s]/.test(node.value)) {
    const parent = node.parent;
    if (!isCall(parent) || !(FS_CALL.test(calleePath(parent) ?? '') || /Sync$/.test(calleePath(parent) ?? ''))) return undefined;
    if (UNIQUE_MAKERS.test(calleePath(parent) ?? '')) return undefined;
    return tmpResource(node, node.value.slice('/tmp/'.length));
  }
  if (!segments) return undefined;
  const parts = segments.map((segment) => staticString(resolve(segment, constants)));
  if (parts.some((part) => part === undefined)) return undefined;
  const parent = node.parent;
  if (isCall(parent) && UNIQUE_MAKERS.test(calleePath(parent) ?? '')) return undefined;
  const rest = parts.join('/').replace(/^\/+/, '');
  return rest ? tmpResource(node, rest) : undefined;
}

function tmpResource(node: Node, rest: string): Resource {
  const first = rest.split('/').filter(Boolean)[0] ?? 'dir';
  const resource = `tmp/${first.replace(/[^A-Za-z0-9._:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'dir'}`;
  return { node, resource, messageId: 'tmp', data: { path: `<tmpdir>/${rest}`, key: resource } };
}

function isTmpdir(node: Node): boolean {
  return isCall(node) && /^(os\.)?tmpdir$/.test(calleePath(node as CallNode) ?? '');
}

/** A read of `process.env.DATABASE_URL` (and its kin). */
function databaseUse(node: Node): Resource | undefined {
  if (node.type !== 'MemberExpression' || pathOf(node.object as Node) !== 'process.env') return undefined;
  const name = memberKey(node);
  if (!name || !DATABASE_ENV.test(name)) return undefined;
  const parent = node.parent;
  if (parent?.type === 'AssignmentExpression' && parent.left === node) return undefined; // a write is not a use of a shared one
  return { node, resource: 'db', messageId: 'database', data: { name, key: `db:${name}` } };
}

/**
 * The fix adding `@serial <resource>`: into the leading docblock when it carries pragmas already (Jest reads only
 * that one comment), else a new `/** @serial … *\/` first in the file. None after a shebang: nothing can precede it.
 */
function docblockFix(source: string, resource: string): Rule.ReportFixer | undefined {
  if (source.startsWith('#!')) return undefined;
  // jest-docblock is not our dependency (it would pull a second Jest under pnpm): the project's Jest has it.
  const { extract, parseWithComments, print } = jestDocblock();
  const docblock = extract(source);
  if (docblock) {
    const { comments, pragmas } = parseWithComments(docblock);
    if (Object.keys(pragmas).length > 0) {
      const start = source.indexOf(docblock);
      const printed = print({ comments, pragmas: { ...pragmas, serial: resource } });
      return (fixer) => fixer.replaceTextRange([start, start + docblock.length], printed);
    }
  }
  return (fixer) => fixer.insertTextBeforeRange([0, 0], `/** @serial ${resource} */\n`);
}
