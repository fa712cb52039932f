import { resolve } from 'node:path';
import { z } from 'zod';
import { ApiKeyConfigError, loadApiKeys, type ApiKey, type StoreOptions } from '@learnpath/store';
import { DEFAULT_CACHE_CONTROL } from './app.js';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './plugins/external/rate-limit.js';
import { DEFAULT_TIMEOUTS, type TimeoutOptions } from './plugins/timeouts.js';
import { isLtiConfigured, type LtiEnvironment } from './lti/setup.js';

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

/** The environment variables `server.ts` reads, with their defaults. */
export const ServerEnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1').describe('Address to listen on.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('Port to listen on (0: any free port).'),
  CONTENT_DIR: z.string().min(1).default('./content').describe('Folder of learning path documents.'),
  CATALOG_FILE: z.string().min(1).optional().describe('A catalog written by `learnpath build`; used instead of CONTENT_DIR when set.'),
  CORS_ORIGINS: z.string().default('*').describe('`*` for any origin, or a comma-separated list of allowed origins.'),
  CACHE_CONTROL: z.string().min(1).default(DEFAULT_CACHE_CONTROL).describe('Cache-Control of cacheable responses.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level.'),
  LOG_REQUESTS: flag(false).describe('Whether every request is logged (at info). Off by default: it halves throughput; the load balancer or CDN usually keeps access logs.'),
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMIT.max).describe('Requests per client address and window; 0 turns rate limiting off.'),
  RATE_LIMIT_WINDOW: z.string().min(1).default(String(DEFAULT_RATE_LIMIT.timeWindow)).describe('The rate limit window, e.g. "1 minute" or milliseconds.'),
  RATE_LIMIT_ALLOW: z.string().default('').describe('Comma-separated client addresses never rate limited (e.g. a trusted LMS).'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).default(DEFAULT_TIMEOUTS.requestMs).describe('Time a client has to send a whole request; beyond it, 408.'),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).default(DEFAULT_TIMEOUTS.headersMs).describe('Time a client has to send the request headers; beyond it, 408. At most REQUEST_TIMEOUT_MS.'),
  CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(1).default(DEFAULT_TIMEOUTS.connectionMs).describe('A connection idle this long in both directions is closed.'),
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('The public base URL of the service, written into exports (cmi5 launch URLs, links). Default: the Host of each request.'),
  TRUST_PROXY: flag(false).describe('Trust X-Forwarded-* headers (behind a load balancer).'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000).describe('How long in-flight requests get to finish on SIGTERM.'),
  DATA_DIR: z.string().min(1).default('./data').describe('Folder of the embedded learner database (PGlite), owned by one process; unused when DATABASE_URL is set.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected postgres://user:password@host:port/database')
    .optional()
    .describe('A PostgreSQL server (15 or newer) for learner state, shared by every replica; default the embedded database in DATA_DIR.'),
  API_KEYS: z.string().optional().describe('API keys of the learner routes, comma-separated `name:scope+scope:sha256-hash` entries as `learnpath keys new` prints them.'),
  API_KEYS_FILE: z.string().min(1).optional().describe('A file of API key entries, one or more per line (`#` comments).'),
  LTI_PLATFORMS: z.string().optional().describe('LTI 1.3 platforms as JSON: [{ "issuer", "clientId", "deploymentIds": [...], "authLoginUrl", "accessTokenUrl", "jwksUrl" }]. Turns the LTI tool (/lti) on.'),
  LTI_PLATFORMS_FILE: z.string().optional().describe('A JSON file holding the LTI platforms (instead of LTI_PLATFORMS).'),
  LTI_PRIVATE_KEY_FILE: z.string().optional().describe('PEM RS256 private key file(s) of the LTI tool, comma-separated; the first signs. Default: a generated key.'),
  LTI_KEY_SECRET: z.string().optional().describe('Encrypts the generated LTI tool keys kept in the database (AES-256-GCM). Without it they are stored unencrypted.'),
});

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
  logLevel: z.output<typeof ServerEnvSchema>['LOG_LEVEL'];
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
  /** The LTI tool's settings, when the environment turns it on. */
  lti: LtiEnvironment | undefined;
}

/** Reads the server settings from the environment and the arguments (`--watch`); throws a readable error when one is invalid. */
export function readServerConfig(env: NodeJS.ProcessEnv, argv: readonly string[], cwd = process.cwd()): ServerConfig {
  // Empty variables count as unset, as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ServerEnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const unknown = argv.filter((a) => a !== '--watch');
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (only --watch is accepted)`);
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    throw new Error(`invalid configuration: HEADERS_TIMEOUT_MS (${e.HEADERS_TIMEOUT_MS}) must not exceed REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})`);
  }
  let apiKeys: ApiKey[];
  try {
    apiKeys = loadApiKeys({ API_KEYS: e.API_KEYS, API_KEYS_FILE: e.API_KEYS_FILE === undefined ? undefined : resolve(cwd, e.API_KEYS_FILE) });
  } catch (error) {
    // The message names the entry and what is wrong with it, never a secret.
    if (error instanceof ApiKeyConfigError) throw new Error(`invalid configuration: ${error.message}`);
    throw error;
  }
  const origins = splitList(e.CORS_ORIGINS);
  const rateWindow = /^\d+$/.test(e.RATE_LIMIT_WINDOW) ? Number(e.RATE_LIMIT_WINDOW) : e.RATE_LIMIT_WINDOW;
  return {
    host: e.HOST,
    port: e.PORT,
    source: e.CATALOG_FILE ? { kind: 'file', file: resolve(cwd, e.CATALOG_FILE) } : { kind: 'dir', dir: resolve(cwd, e.CONTENT_DIR) },
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
    lti: isLtiConfigured(e) ? { LTI_PLATFORMS: e.LTI_PLATFORMS, LTI_PLATFORMS_FILE: e.LTI_PLATFORMS_FILE && resolve(cwd, e.LTI_PLATFORMS_FILE), LTI_PRIVATE_KEY_FILE: e.LTI_PRIVATE_KEY_FILE, LTI_KEY_SECRET: e.LTI_KEY_SECRET } : undefined,
  };
}

function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
