import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiKeyConfigError, loadApiKeys, type ApiKey, type StoreOptions } from '@learnpath/store';
import type { RateLimitOptions } from './plugins/external/rate-limit.js';
import { ConfigError, describeBadSetting, EXPECTED, parseServerEnv, splitList, type ServerEnv } from './config-schema.js';
import type { TimeoutOptions } from './plugins/timeouts.js';
import { isLtiConfigured, type LtiEnvironment } from './lti/setup.js';

export { ConfigError, ServerEnvSchema } from './config-schema.js';

/** Where the catalog comes from. */
export type ContentSource = { kind: 'dir'; dir: string } | { kind: 'file'; file: string };

/** The settings of the server process. */
export interface ServerConfig {
  host: string;
  port: number;
  source: ContentSource;
  watch: boolean;
  corsOrigins: '*' | string[];
  cacheControl: string;
  logLevel: ServerEnv['LOG_LEVEL'];
  logRequests: boolean;
  rateLimit: RateLimitOptions | false;
  timeouts: Required<TimeoutOptions>;
  publicBaseUrl: string | undefined;
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  /** Where learner state is kept: PGlite in DATA_DIR, or the server of DATABASE_URL. */
  storeOptions: StoreOptions;
  /** The API keys of the learner routes (hashes). */
  apiKeys: ApiKey[];
  /** NODE_ENV is `production`. */
  production: boolean;
  /** The LTI tool's settings, when the environment turns it on. */
  lti: LtiEnvironment | undefined;
  /** Origins of the LRSs whose cmi5 completions are saved as progress; empty: off. */
  cmi5LrsOrigins: string[];
}

/**
 * Reads the server settings from the environment and the arguments (`--watch`); throws a
 * `ConfigError` with one line per bad setting (the variable, its value and what is expected).
 */
export function readServerConfig(env: NodeJS.ProcessEnv, argv: readonly string[], cwd = process.cwd()): ServerConfig {
  const e = parseServerEnv(env);
  const unknown = argv.filter((a) => a !== '--watch');
  if (unknown.length > 0) throw new ConfigError([`unknown argument(s): ${unknown.join(' ')} (only --watch is accepted)`]);
  const source = contentSourceOf(e, cwd);
  const apiKeys = apiKeysOf(e, cwd);
  const origins = splitList(e.CORS_ORIGINS);
  const rateWindow = /^\d+$/.test(e.RATE_LIMIT_WINDOW) ? Number(e.RATE_LIMIT_WINDOW) : e.RATE_LIMIT_WINDOW;
  return {
    host: e.HOST,
    port: e.PORT,
    source,
    watch: argv.includes('--watch'),
    corsOrigins: origins.length === 0 || origins.includes('*') ? '*' : origins,
    cacheControl: e.CACHE_CONTROL,
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS,
    rateLimit: e.RATE_LIMIT_MAX > 0 ? { max: e.RATE_LIMIT_MAX, timeWindow: rateWindow, allowList: splitList(e.RATE_LIMIT_ALLOW) } : false,
    timeouts: { requestMs: e.REQUEST_TIMEOUT_MS, headersMs: e.HEADERS_TIMEOUT_MS, connectionMs: e.CONNECTION_TIMEOUT_MS },
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    storeOptions: e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : { dataDir: resolve(cwd, e.DATA_DIR) },
    apiKeys,
    production: env['NODE_ENV'] === 'production',
    lti: ltiOf(e, cwd),
    cmi5LrsOrigins: splitList(e.CMI5_LRS_ORIGINS).map((origin) => new URL(origin).origin),
  };
}

// The content source must exist when the process starts; later, watch mode copes with it
// vanishing and coming back.
/** The configured API keys; a bad entry names its setting (the message says which entry and why, never a secret). */
function apiKeysOf(e: ServerEnv, cwd: string): ApiKey[] {
  const file = e.API_KEYS_FILE === undefined ? undefined : resolve(cwd, e.API_KEYS_FILE);
  for (const [name, env] of [
    ['API_KEYS', { API_KEYS: e.API_KEYS }],
    ['API_KEYS_FILE', { API_KEYS: e.API_KEYS, API_KEYS_FILE: file }],
  ] as const) {
    try {
      if (name === 'API_KEYS_FILE') return loadApiKeys(env);
      loadApiKeys(env);
    } catch (error) {
      if (!(error instanceof ApiKeyConfigError)) throw error;
      throw new ConfigError([describeBadSetting(name, e[name], `${EXPECTED[name]} (${error.message})`)]);
    }
  }
  return [];
}

/** The LTI settings with their files resolved and checked, or undefined when the tool is off. */
function ltiOf(e: ServerEnv, cwd: string): LtiEnvironment | undefined {
  if (!isLtiConfigured(e)) return undefined;
  const platformsFile = e.LTI_PLATFORMS_FILE === undefined ? undefined : resolve(cwd, e.LTI_PLATFORMS_FILE);
  if (platformsFile !== undefined && statSync(platformsFile, { throwIfNoEntry: false })?.isFile() !== true) {
    throw new ConfigError([describeBadSetting('LTI_PLATFORMS_FILE', e.LTI_PLATFORMS_FILE, `${EXPECTED.LTI_PLATFORMS_FILE} (${platformsFile} is not a file)`)]);
  }
  const keyFiles = e.LTI_PRIVATE_KEY_FILE === undefined ? [] : splitList(e.LTI_PRIVATE_KEY_FILE).map((file) => resolve(cwd, file));
  const missing = keyFiles.find((file) => statSync(file, { throwIfNoEntry: false })?.isFile() !== true);
  if (missing !== undefined) throw new ConfigError([describeBadSetting('LTI_PRIVATE_KEY_FILE', e.LTI_PRIVATE_KEY_FILE, `${EXPECTED.LTI_PRIVATE_KEY_FILE} (${missing} is not a file)`)]);
  return {
    LTI_PLATFORMS: e.LTI_PLATFORMS,
    LTI_PLATFORMS_FILE: platformsFile,
    LTI_PRIVATE_KEY_FILE: keyFiles.length > 0 ? keyFiles.join(',') : undefined,
    LTI_KEY_SECRET: e.LTI_KEY_SECRET,
  };
}

function contentSourceOf(e: ServerEnv, cwd: string): ContentSource {
  const [name, value, kind] = e.CATALOG_FILE ? (['CATALOG_FILE', e.CATALOG_FILE, 'file'] as const) : (['CONTENT_DIR', e.CONTENT_DIR, 'dir'] as const);
  const path = resolve(cwd, value);
  const stats = statSync(path, { throwIfNoEntry: false });
  const ok = kind === 'file' ? stats?.isFile() : stats?.isDirectory();
  if (!ok) throw new ConfigError([describeBadSetting(name, value, `${EXPECTED[name]} (${path} ${stats ? `is not a ${kind === 'file' ? 'file' : 'folder'}` : 'does not exist'})`)]);
  return kind === 'file' ? { kind, file: path } : { kind, dir: path };
}
