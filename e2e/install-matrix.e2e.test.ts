// The install matrix: the packed tarball installed as users install it — npm, pnpm with strict peers, Yarn 4 with
// node-modules and with Plug'n'Play; Jest 29.7, 30.0, 30.4 and 30.5; a jest.config.ts under "module": "commonjs";
// an ESM project; a pnpm workspace — into throwaway projects outside this repo. In each: a run with lanes, a leak
// finding, a manifest, and the rerun command the reporter printed, run as printed, rerunning exactly the failed test.
// Tools come from the npm registry (pnpm by npm, Yarn by corepack); every download goes into one cache directory
// (FLAKEGUARD_MATRIX_CACHE, default under the system temp directory), so a second project costs an install, not a
// download. Runs once, in the Jest 30 pass: it drives each project's own Jest. The rerun runs without the first
// run's NODE_OPTIONS: what it needs of them comes from the manifest.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JEST_MAJOR, REPO, spawnCollect, type RunResult } from './harness';

type Manager = 'npm' | 'pnpm' | 'yarn-node-modules' | 'yarn-pnp';
type Variant = 'plain' | 'ts' | 'esm' | 'workspace';
interface Scenario {
  manager: Manager;
  jest: string;
  variant: Variant;
}

const SCENARIOS: Scenario[] = [
  { manager: 'npm', jest: '30.0.5', variant: 'plain' },
  { manager: 'npm', jest: '30.4.2', variant: 'plain' },
  { manager: 'pnpm', jest: '29.7.0', variant: 'plain' },
  { manager: 'pnpm', jest: '30.4.2', variant: 'plain' },
  { manager: 'pnpm', jest: '30.5.2', variant: 'workspace' },
  { manager: 'yarn-node-modules', jest: '30.5.2', variant: 'plain' },
  { manager: 'yarn-pnp', jest: '30.5.2', variant: 'plain' },
  { manager: 'npm', jest: '30.5.2', variant: 'esm' },
  { manager: 'npm', jest: '30.5.2', variant: 'ts' },
];

const YARN = 'yarn@4.9.4';
const CACHE = process.env.FLAKEGUARD_MATRIX_CACHE || path.join(os.tmpdir(), 'flakeguard-matrix-cache');
const REGISTRY = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim().replace(/\/$/, '');

/** The environment of every tool: our own npm's variables left out, every cache in CACHE, no prompts. */
function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|JEST_WORKER_ID$|GITHUB_|FLAKEGUARD_|NODE_OPTIONS$|INIT_CWD$|PNPM_|COREPACK_|YARN_)/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    npm_config_cache: path.join(CACHE, 'npm'),
    npm_config_registry: `${REGISTRY}/`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    COREPACK_HOME: path.join(CACHE, 'corepack'),
    COREPACK_NPM_REGISTRY: REGISTRY,
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    YARN_NPM_REGISTRY_SERVER: REGISTRY,
    YARN_GLOBAL_FOLDER: path.join(CACHE, 'yarn'),
    YARN_ENABLE_GLOBAL_CACHE: 'true',
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    YARN_ENABLE_TELEMETRY: '0',
    ...extra,
  };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 280_000): Promise<RunResult> {
  return spawnCollect(command, args, cwd, toolEnv(env), timeoutMs);
}

async function mustRun(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  // An install from a cold cache on a busy machine takes minutes.
  const result = await run(command, args, cwd, env, 900_000);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}) in ${cwd}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** pnpm 10, installed once into the cache by npm. */
async function pnpmBin(): Promise<string> {
  const prefix = path.join(CACHE, 'tools');
  const bin = path.join(prefix, 'node_modules', '.bin', 'pnpm');
  if (!fs.existsSync(bin)) await mustRun('npm', ['install', '--prefix', prefix, '--no-save', 'pnpm@10'], os.tmpdir());
  return bin;
}

/** How each manager runs a project's bin: what the README tells users to type. */
async function execPrefix(manager: Manager): Promise<[string, string[]]> {
  if (manager === 'npm') return ['npx', []];
  if (manager === 'pnpm') return [await pnpmBin(), ['exec']];
  return ['corepack', ['yarn']];
}

// ---- the project ------------------------------------------------------------------------------------------------

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

function copyPackedFixture(dest: string): void {
  fs.cpSync(path.join(REPO, 'fixtures', 'packed'), dest, { recursive: true, filter: (file) => !file.endsWith('.template') });
}

/** ESM versions of the fixture's files: `import`, and `jest` from @jest/globals (ESM has no injected jest). */
function makeEsm(dir: string): void {
  fs.rmSync(path.join(dir, 'jest.config.js'));
  write(
    path.join(dir, 'jest.config.js'),
    "import { withFlakeguard } from 'jest-flakeguard/config';\n\nexport default withFlakeguard({ testEnvironment: 'node', transform: {} });\n",
  );
  write(path.join(dir, 'api.js'), 'export default { fetchUser: async (id) => ({ id }) };\n');
  const counter = fs.readFileSync(path.join(dir, 'counter.js'), 'utf8');
  write(
    path.join(dir, 'counter.js'),
    counter
      .replace(
        "const fs = require('fs');\nconst path = require('path');",
        "import fs from 'fs';\nimport path from 'path';\nconst __dirname = path.dirname(new URL(import.meta.url).pathname);",
      )
      .replace('exports.attempt = (name) =>', 'export const attempt = (name) =>'),
  );
  const tests = path.join(dir, '__tests__');
  for (const name of fs.readdirSync(tests)) {
    const file = path.join(tests, name);
    const source = fs
      .readFileSync(file, 'utf8')
      .replace("const api = require('../api');", "import api from '../api.js';")
      .replace("const { attempt } = require('../counter');", "import { attempt } from '../counter.js';");
    // The docblock stays first: the import goes after it.
    const docblock = /^\/\*\*[\s\S]*?\*\/\n/.exec(source)?.[0] ?? '';
    write(file, `${docblock}import { expect, jest, test } from '@jest/globals';\n${source.slice(docblock.length)}`);
  }
}

interface Project {
  dir: string;
  /** Where test paths in the manifest are relative to. */
  prefix: string;
  env: NodeJS.ProcessEnv;
}

async function makeProject(scenario: Scenario, root: string, tarball: string): Promise<Project> {
  const dir = path.join(root, `${scenario.manager}-${scenario.variant}-${scenario.jest}`);
  const devDependencies: Record<string, string> = { jest: scenario.jest, 'jest-flakeguard': `file:${tarball}` };
  const pkg: Record<string, unknown> = { name: 'throwaway', version: '1.0.0', private: true, devDependencies };
  let prefix = '';
  const env: NodeJS.ProcessEnv = {};
  if (scenario.variant === 'workspace') {
    // The packed fixture is package a; package b adds a file of its own. One root config, withFlakeguard on it.
    copyPackedFixture(path.join(dir, 'packages', 'a'));
    fs.rmSync(path.join(dir, 'packages', 'a', 'jest.config.js'));
    write(path.join(dir, 'packages', 'a', 'jest.config.js'), "module.exports = { testEnvironment: 'node' };\n");
    write(path.join(dir, 'packages', 'a', 'package.json'), JSON.stringify({ name: 'a', version: '1.0.0', private: true }));
    write(path.join(dir, 'packages', 'b', 'package.json'), JSON.stringify({ name: 'b', version: '1.0.0', private: true }));
    write(path.join(dir, 'packages', 'b', '__tests__', 'b.test.js'), "test('b', () => expect(1).toBe(1));\n");
    write(path.join(dir, 'pnpm-workspace.yaml'), "packages:\n  - 'packages/*'\n");
    write(
      path.join(dir, 'jest.config.js'),
      "const { withFlakeguard } = require('jest-flakeguard/config');\n\nmodule.exports = withFlakeguard({ projects: ['<rootDir>/packages/*'] });\n",
    );
    prefix = 'packages/a/';
  } else {
    copyPackedFixture(dir);
  }
  if (scenario.variant === 'ts') {
    fs.rmSync(path.join(dir, 'jest.config.js'));
    write(path.join(dir, 'jest.config.ts'), "import { withFlakeguard } from 'jest-flakeguard/config';\n\nexport default withFlakeguard({ testEnvironment: 'node' });\n");
    write(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, esModuleInterop: true, types: [] } }));
    Object.assign(devDependencies, { 'ts-node': '10.9.2', typescript: '5.9.3' });
  }
  if (scenario.variant === 'esm') {
    pkg.type = 'module';
    makeEsm(dir);
    env.NODE_OPTIONS = '--experimental-vm-modules';
  }
  if (scenario.manager.startsWith('yarn')) {
    pkg.packageManager = YARN;
    write(path.join(dir, '.yarnrc.yml'), `nodeLinker: ${scenario.manager === 'yarn-pnp' ? 'pnp' : 'node-modules'}\nnpmRegistryServer: "${REGISTRY}"\n`);
  }
  write(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

  if (scenario.manager === 'npm') await mustRun('npm', ['install', '--prefer-offline'], dir);
  else if (scenario.manager === 'pnpm') {
    await mustRun(
      await pnpmBin(),
      [
        'install',
        '--prefer-offline',
        '--store-dir',
        path.join(CACHE, 'pnpm-store'),
        '--config.strict-peer-dependencies=true',
        ...(scenario.variant === 'workspace' ? ['-w'] : []),
      ],
      dir,
    );
  } else await mustRun('corepack', ['yarn', 'install'], dir);
  return { dir, prefix, env };
}

// ---- the spec ---------------------------------------------------------------------------------------------------

(JEST_MAJOR === 30 ? describe : describe.skip)('install matrix: the packed tarball in throwaway projects', () => {
  let root: string;
  let tarball: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-matrix-'));
    const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', root], { cwd: REPO, encoding: 'utf8', env: toolEnv() });
    tarball = path.join(root, packed.stdout.trim().split('\n').pop()!);
    fs.mkdirSync(CACHE, { recursive: true });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  // FLAKEGUARD_MATRIX_ONLY=pnpm,ts runs the scenarios whose name contains one of those words.
  const only = (process.env.FLAKEGUARD_MATRIX_ONLY ?? '').split(',').filter(Boolean);
  const chosen = SCENARIOS.filter((s) => only.length === 0 || only.some((word) => `${s.manager}, Jest ${s.jest}, ${s.variant}`.includes(word)));
  describe.each(chosen.map((s) => [`${s.manager}, Jest ${s.jest}, ${s.variant}`, s] as const))('%s', (_name, scenario) => {
    let project: Project;
    beforeAll(async () => {
      project = await makeProject(scenario, root, tarball);
    }, 1_200_000);

    if (scenario.manager === 'pnpm') {
      test('pnpm installed no second Jest: one jest-runner, the one of the Jest in the project', () => {
        const store = fs.readdirSync(path.join(project.dir, 'node_modules', '.pnpm'));
        expect(store.filter((name) => /^jest-runner@/.test(name))).toEqual([`jest-runner@${scenario.jest}`]);
        expect(store.filter((name) => /^jest@/.test(name))).toEqual([expect.stringMatching(new RegExp(`^jest@${scenario.jest.replace(/\./g, '\\.')}`))]);
      });
    }

    test('a run with lanes and a finding, a manifest, and the printed rerun command reruns exactly the failed test', async () => {
      const [command, prefixArgs] = await execPrefix(scenario.manager);
      const first = await run(command, [...prefixArgs, 'jest', '--ci', '--maxWorkers=3', '--selectProjects', 'stable'], project.dir, project.env);
      const output = first.stdout + first.stderr;
      expect(output).not.toContain('Validation Warning');
      expect(first.status).toBe(1);
      const lanes = scenario.variant === 'workspace' ? '4 parallel · 1 serial · 2 in resource groups (db ×2)' : '3 parallel · 1 serial · 2 in resource groups (db ×2)';
      expect(first.stderr).toContain(`flakeguard: ${lanes}`);
      expect(first.stderr).toMatch(/unrestored-spy +spy on api\.fetchUser was not restored +\(__tests__\/leak\.test\.js:\d+:\d+\)/);
      const manifest = JSON.parse(fs.readFileSync(path.join(project.dir, '.flakeguard', 'last-run.json'), 'utf8'));
      // The finding's file is relative to the root (where it was made, to its project: a workspace package).
      expect(manifest.findings).toEqual([expect.objectContaining({ check: 'unrestored-spy', file: `${project.prefix}__tests__/leak.test.js` })]);
      expect(manifest.jestVersion).toBe(scenario.jest);
      expect(manifest.failed).toEqual([
        expect.objectContaining({ project: 'stable', file: `${project.prefix}__tests__/once.test.js`, titles: ['fails on the first run only'] }),
      ]);

      // The command the reporter printed for this package manager, run as printed.
      const printed = /^ {2}rerun: (.+?) {3}manifest: /m.exec(first.stderr)?.[1];
      const expected = { npm: 'npx flakeguard rerun', pnpm: 'pnpm exec flakeguard rerun', 'yarn-node-modules': 'yarn flakeguard rerun', 'yarn-pnp': 'yarn flakeguard rerun' }[
        scenario.manager
      ];
      expect(printed).toBe(expected);
      const [tool, ...args] = printed!.split(' ');
      // The rerun is started without NODE_OPTIONS: the ESM project's --experimental-vm-modules comes from the manifest.
      const rerunEnv = { ...project.env, NODE_OPTIONS: undefined };
      if (scenario.variant === 'esm') expect(manifest.invocation.nodeFlags).toEqual(['--experimental-vm-modules']);
      const rerun =
        tool === 'npx'
          ? await run('npx', args, project.dir, rerunEnv)
          : tool === 'pnpm'
            ? await run(command, args, project.dir, rerunEnv)
            : await run('corepack', ['yarn', ...args], project.dir, rerunEnv);
      expect(rerun.status).toBe(0);
      const after = JSON.parse(fs.readFileSync(path.join(project.dir, '.flakeguard', 'last-run.json'), 'utf8'));
      expect(after).toMatchObject({ status: 'passed', counts: { passed: 1, failed: 0 } });
    }, 600_000);
  });
});
