// The environment-options channel: what `withFlakeguard` (core/configPlan) writes into a project's
// `testEnvironmentOptions.flakeguard` for its own modules to read back in every worker — the environment to build, the
// project's part of the quarantine and its retry count (config/environment), the files the test sequencer keeps
// (config/quarantineSequencer) — beside the user's own hygiene options (core/checkOptions'). This module alone knows
// the key names; both stages that strip them (config/environment: ours; environment/index: the whole key, before the
// base environment copies its options onto the sandbox) decode through it.

import { FlakeguardError } from './errors';
import type { QuarantineMode } from './quarantine';
import { retriesProblem } from './retries';

export const ENVIRONMENT_OPTIONS_VERSION = 1;

const CHANNEL = 'environment-options channel';
/** The key of `testEnvironmentOptions` that holds the user's hygiene options and, inside them, ours. */
const OPTIONS_KEY = 'flakeguard';
/** Ours, inside the user's: one key no hygiene option can take, so the two never mix. */
const OWN_KEY = 'withFlakeguard';
const WHERE = `testEnvironmentOptions.${OPTIONS_KEY}.${OWN_KEY}`;

/** A project's part of the quarantine: the environment builds its selection from quarantine.json (io/quarantineFile). */
export interface QuarantineEnvironmentOptions {
  mode: QuarantineMode;
  /** Absolute path of quarantine.json. */
  file: string;
  /** Absolute rootDir the entries' files are relative to. */
  rootDir: string;
}

export interface ProjectFileSelection {
  /** `exclude`: every file but these (stable); `only`: these files alone (flaky). */
  mode: 'exclude' | 'only';
  /** Absolute paths of test files. */
  files: string[];
  /** The user's own testSequencer (absolute path), which ours wraps; absent: Jest's. */
  sequencer?: string;
}

/** What `withFlakeguard` tells a project's modules. */
export interface ProjectEnvironmentOptions {
  /** 'node', 'jsdom', or the absolute path of the user's environment module. */
  environment?: string;
  /** This project's part of the quarantine: 'exclude' for stable, 'only' for flaky. */
  quarantine?: QuarantineEnvironmentOptions;
  /** Attempts after a failure, applied by config/retrySetup through `jest.retryTimes` (core/retries carries it there). */
  retries?: number;
  /** The files the test sequencer keeps. */
  files?: ProjectFileSelection;
}

type Message = ProjectEnvironmentOptions & { schemaVersion: typeof ENVIRONMENT_OPTIONS_VERSION };

export interface DecodedEnvironmentOptions {
  /** What withFlakeguard wrote for this project, or undefined (a config not built by withFlakeguard). */
  own: ProjectEnvironmentOptions | undefined;
  /** The user's hygiene options, ours removed — unvalidated (core/checkOptions judges them) — or undefined. */
  hygiene: unknown;
  /** `testEnvironmentOptions` without the key: what the base environment may see. */
  base: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

const fail = (problem: string): never => {
  throw new FlakeguardError('BAD_CHANNEL', `${CHANNEL}: ${WHERE}${problem}`);
};

/** What is wrong with our part (`value`), or null. */
function ownProblem(value: unknown): string | null {
  if (!isObject(value)) return ' must be an object';
  if (value.schemaVersion !== ENVIRONMENT_OPTIONS_VERSION)
    return ` has version ${JSON.stringify(value.schemaVersion)}, not this jest-flakeguard's (${ENVIRONMENT_OPTIONS_VERSION}): the config was built by another version of jest-flakeguard`;
  const { environment, quarantine, retries, files } = value;
  if (environment !== undefined && !nonEmpty(environment)) return `.environment must be 'node', 'jsdom' or a module path, not ${JSON.stringify(environment)}`;
  if (quarantine !== undefined) {
    const ok = isObject(quarantine) && (quarantine.mode === 'exclude' || quarantine.mode === 'only') && nonEmpty(quarantine.file) && nonEmpty(quarantine.rootDir);
    if (!ok) return '.quarantine must be {mode: "exclude" | "only", file, rootDir}';
  }
  if (retries !== undefined) {
    const problem = retriesProblem(retries);
    if (problem) return `.retries: ${problem}`;
  }
  if (files !== undefined) {
    const ok =
      isObject(files) && (files.mode === 'exclude' || files.mode === 'only') && isStrings(files.files) && (files.sequencer === undefined || nonEmpty(files.sequencer));
    if (!ok) return '.files must be {mode: "exclude" | "only", files: [paths], sequencer?}';
  }
  return null;
}

/**
 * The one validator: a project's `testEnvironmentOptions` split into our part (validated), the user's hygiene options
 * and the rest. A FlakeguardError names the channel and the field when our part is foreign or malformed.
 */
export function decodeEnvironmentOptions(testEnvironmentOptions: unknown): DecodedEnvironmentOptions {
  const { [OPTIONS_KEY]: given, ...base } = isObject(testEnvironmentOptions) ? testEnvironmentOptions : {};
  if (!isObject(given) || !(OWN_KEY in given)) return { own: undefined, hygiene: given, base };
  const { [OWN_KEY]: own, ...hygiene } = given;
  const problem = ownProblem(own);
  if (problem) return fail(problem);
  const { schemaVersion: _version, ...options } = own as Message;
  return { own: options, hygiene: Object.keys(hygiene).length > 0 ? hygiene : undefined, base };
}

/** `testEnvironmentOptions` with our part for the project added beside the user's hygiene options (withFlakeguard). */
export function encodeEnvironmentOptions(testEnvironmentOptions: Record<string, unknown> | undefined, own: ProjectEnvironmentOptions): Record<string, unknown> {
  const { own: _earlier, hygiene, base } = decodeEnvironmentOptions(testEnvironmentOptions ?? {});
  if (hygiene !== undefined && !isObject(hygiene)) throw new FlakeguardError('BAD_OPTION', `testEnvironmentOptions.${OPTIONS_KEY} must be an object`);
  const message: Message = { schemaVersion: ENVIRONMENT_OPTIONS_VERSION, ...own };
  const problem = ownProblem(message);
  if (problem) return fail(problem);
  return { ...base, [OPTIONS_KEY]: { ...(hygiene as Record<string, unknown> | undefined), [OWN_KEY]: message } };
}

/** `testEnvironmentOptions` as the hygiene environment takes them: ours gone, the user's hygiene options kept (or none). */
export function hygieneOptionsOnly(decoded: DecodedEnvironmentOptions): Record<string, unknown> {
  return decoded.hygiene === undefined ? decoded.base : { ...decoded.base, [OPTIONS_KEY]: decoded.hygiene };
}

/** Removes the hygiene options from a sandbox `global` a base environment copied them onto by means of its own. */
export function removeCopiedOptions(global: Record<string, unknown>, decoded: DecodedEnvironmentOptions): void {
  if (decoded.hygiene !== undefined && Object.prototype.hasOwnProperty.call(global, OPTIONS_KEY) && global[OPTIONS_KEY] === decoded.hygiene) delete global[OPTIONS_KEY];
}
