import { isIP } from 'node:net';
import { parse as parseMilliseconds } from '@lukeed/ms';
import { z } from 'zod';
import { DEFAULT_CACHE_CONTROL, DEFAULT_RATE_LIMIT, DEFAULT_TIMEOUTS } from './defaults.js';

// Node's timers hold 32-bit milliseconds: a longer timeout silently becomes 1 ms.
const MAX_TIMER_MS = 2_147_483_647;

const FLAG_VALUES = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'] as const;

const flag = (fallback: boolean) =>
  z
    .enum(FLAG_VALUES)
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Splits a comma-separated setting into its trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Whether `text` is a duration the rate limiter reads: milliseconds, or e.g. "1 minute", "30s", "1.5 hours". */
export function isDuration(text: string): boolean {
  if (/^\d+$/.test(text)) return Number(text) > 0;
  const ms = parseMilliseconds(text);
  return ms !== undefined && Number.isFinite(ms) && ms > 0;
}

/** Whether `text` is an origin as browsers send it: scheme, host and optional port, nothing else. */
function isOrigin(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text.replace(/\/$/, '');
}

// RFC 9111 §5.2: `directive` or `directive=token` or `directive="quoted"`, comma-separated;
// the delta-seconds directives take a number of seconds.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SECONDS_DIRECTIVES = new Set(['max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error', 'min-fresh', 'max-stale']);
function isCacheControl(text: string): boolean {
  const directives = text.split(',').map((d) => d.trim());
  return directives.every((directive) => {
    const match = /^([^=\s]+)(?:=(.*))?$/.exec(directive);
    if (!match || !TOKEN.test(match[1]!)) return false;
    const value = match[2];
    if (SECONDS_DIRECTIVES.has(match[1]!.toLowerCase())) return value !== undefined && /^\d+$/.test(value);
    return value === undefined || TOKEN.test(value) || /^"[^"\\\x00-\x1f\x7f]*"$/.test(value);
  });
}

/** Whether `text` is an http(s) URL the service can be reached at: no credentials, query or fragment. */
function isBaseUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '' && !text.includes('?') && !text.includes('#');
}

/** Whether `text` is JSON whose top level is an array. */
function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

const host = z.union([z.ipv4(), z.ipv6(), z.hostname()]);

/**
 * The environment variables the server reads, with their defaults: every setting is checked
 * here at start-up, so a mistyped one stops the process instead of failing requests later.
 */
export const ServerEnvSchema = z
  .object({
    HOST: host.default('127.0.0.1').describe('Address to listen on.'),
    PORT: wholeNumber(0, 65535).default(3000).describe('Port to listen on (0: any free port).'),
    CONTENT_DIR: z.string().min(1).default('./content').describe('Folder of learning path documents.'),
    CATALOG_FILE: z.string().min(1).optional().describe('A catalog written by `learnpath build`; used instead of CONTENT_DIR when set.'),
    CORS_ORIGINS: z
      .string()
      .refine((text) => splitList(text).every((origin) => origin === '*' || isOrigin(origin)))
      .default('*')
      .describe('`*` for any origin, or a comma-separated list of allowed origins.'),
    CACHE_CONTROL: z.string().min(1).refine(isCacheControl).default(DEFAULT_CACHE_CONTROL).describe('Cache-Control of cacheable responses.'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level.'),
    LOG_REQUESTS: flag(false).describe(
      'Whether every request is logged (at info). Off by default: it halves throughput; the load balancer or CDN usually keeps access logs.',
    ),
    RATE_LIMIT_MAX: wholeNumber(0, Number.MAX_SAFE_INTEGER).default(DEFAULT_RATE_LIMIT.max).describe('Requests per client address and window; 0 turns rate limiting off.'),
    RATE_LIMIT_WINDOW: z.string().refine(isDuration).default(String(DEFAULT_RATE_LIMIT.timeWindow)).describe('The rate limit window, e.g. "1 minute" or milliseconds.'),
    RATE_LIMIT_ALLOW: z
      .string()
      .refine((text) => splitList(text).every((address) => isIP(address) !== 0))
      .default('')
      .describe('Comma-separated client addresses never rate limited (e.g. a trusted LMS).'),
    REQUEST_TIMEOUT_MS: wholeNumber(1, MAX_TIMER_MS).default(DEFAULT_TIMEOUTS.requestMs).describe('Time a client has to send a whole request; beyond it, 408.'),
    HEADERS_TIMEOUT_MS: wholeNumber(1, MAX_TIMER_MS)
      .default(DEFAULT_TIMEOUTS.headersMs)
      .describe('Time a client has to send the request headers; beyond it, 408. At most REQUEST_TIMEOUT_MS.'),
    CONNECTION_TIMEOUT_MS: wholeNumber(1, MAX_TIMER_MS).default(DEFAULT_TIMEOUTS.connectionMs).describe('A connection idle this long in both directions is closed.'),
    PUBLIC_BASE_URL: z
      .string()
      .refine(isBaseUrl)
      .optional()
      .describe('The public base URL of the service, written into exports (cmi5 launch URLs, links). Default: http://HOST:PORT.'),
    TRUST_PROXY: flag(false).describe('Trust X-Forwarded-* headers (behind a load balancer).'),
    SHUTDOWN_TIMEOUT_MS: wholeNumber(0, MAX_TIMER_MS).default(10_000).describe('How long in-flight requests get to finish on SIGTERM.'),
    LTI_PLATFORMS: z
      .string()
      .refine(isJsonArray)
      .optional()
      .describe('LTI 1.3 platforms as JSON: [{ "issuer", "clientId", "deploymentIds": [...], "authLoginUrl", "accessTokenUrl", "jwksUrl" }]. Turns the LTI tool (/lti) on.'),
    LTI_PLATFORMS_FILE: z.string().min(1).optional().describe('A JSON file holding the LTI platforms (instead of LTI_PLATFORMS).'),
    LTI_PRIVATE_KEY_FILE: z.string().min(1).optional().describe('PEM RS256 private key file(s) of the LTI tool, comma-separated; the first signs. Default: a generated key.'),
    LTI_KEY_SECRET: z.string().min(16).optional().describe('Encrypts the generated LTI tool keys kept in the database (AES-256-GCM). Without it they are stored unencrypted.'),
    DATA_DIR: z.string().regex(/^[^\u0000-\u001f]+$/).default('./data').describe('Folder of the embedded learner database (PGlite), owned by one process; unused when DATABASE_URL is set.'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected postgres://user:password@host:port/database')
      .optional()
      .describe('A PostgreSQL server (15 or newer) for learner state, shared by every replica; default the embedded database in DATA_DIR.'),
    API_KEYS: z.string().optional().describe('API keys of the learner routes, comma-separated `name:scope+scope:sha256-hash` entries as `learnpath keys new` prints them.'),
    API_KEYS_FILE: z.string().min(1).optional().describe('A file of API key entries, one or more per line (`#` comments).'),
    CMI5_LRS_ORIGINS: z
      .string()
      .refine((text) => splitList(text).every(isOrigin))
      .default('')
      .describe('Comma-separated origins of the LRSs whose cmi5 completions are also saved as learner progress; none: off.'),
  })
  .superRefine((env, context) => {
    if (env.LTI_PLATFORMS !== undefined && env.LTI_PLATFORMS_FILE !== undefined) {
      const expected = 'either LTI_PLATFORMS or LTI_PLATFORMS_FILE, not both';
      context.addIssue({ code: 'custom', path: ['LTI_PLATFORMS_FILE'], message: expected, params: { expected } });
    }
    if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
      const expected = `at most REQUEST_TIMEOUT_MS (${env.REQUEST_TIMEOUT_MS})`;
      context.addIssue({ code: 'custom', path: ['HEADERS_TIMEOUT_MS'], message: expected, params: { expected } });
    }
  });

/** The settings the server reads, by variable name. */
export type ServerEnv = z.output<typeof ServerEnvSchema>;

/** A setting's name. */
export type SettingName = keyof ServerEnv;

/** The names of every setting the server reads. */
export const SETTING_NAMES = Object.keys(ServerEnvSchema.shape) as SettingName[];

/** What each setting expects, in the words of the start-up error that names a bad value. */
export const EXPECTED: Readonly<Record<SettingName, string>> = {
  HOST: 'an IP address or host name to listen on, e.g. 127.0.0.1, 0.0.0.0, :: or localhost',
  PORT: 'a port number from 0 to 65535 (0: any free port)',
  CONTENT_DIR: 'an existing folder of learning paths',
  CATALOG_FILE: 'an existing file written by `learnpath build`',
  CORS_ORIGINS: '"*" or comma-separated origins such as https://app.example.org (scheme, host and optional port; no path)',
  CACHE_CONTROL: 'a Cache-Control value: comma-separated directives such as "public, max-age=60" (ages in whole seconds)',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  LOG_REQUESTS: `true or false (also ${FLAG_VALUES.slice(2).join(', ')})`,
  RATE_LIMIT_MAX: 'a whole number of requests, 0 to turn rate limiting off',
  RATE_LIMIT_WINDOW: 'a duration such as "1 minute", "30 seconds", "1h" or milliseconds ("60000")',
  RATE_LIMIT_ALLOW: 'comma-separated IP addresses, e.g. "10.0.0.5, ::1"',
  REQUEST_TIMEOUT_MS: `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, e.g. 30000`,
  HEADERS_TIMEOUT_MS: `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, at most REQUEST_TIMEOUT_MS`,
  CONNECTION_TIMEOUT_MS: `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, e.g. 60000`,
  PUBLIC_BASE_URL: 'an http(s) URL without credentials, query or fragment, e.g. https://learn.example.org',
  TRUST_PROXY: `true or false (also ${FLAG_VALUES.slice(2).join(', ')})`,
  SHUTDOWN_TIMEOUT_MS: `a whole number of milliseconds from 0 to ${MAX_TIMER_MS}, e.g. 10000`,
  LTI_PLATFORMS: 'a JSON array of platforms: [{ "issuer", "clientId", "deploymentIds": [...], "authLoginUrl", "accessTokenUrl", "jwksUrl" }]',
  LTI_PLATFORMS_FILE: 'an existing JSON file holding the LTI platforms',
  LTI_PRIVATE_KEY_FILE: 'existing PEM files, comma-separated (the first signs)',
  LTI_KEY_SECRET: 'a secret of at least 16 characters (keep it: the stored keys need it)',
  DATA_DIR: 'a folder path (one line) for the embedded learner database',
  DATABASE_URL: 'postgres://user:password@host:port/database',
  API_KEYS: 'comma-separated name:scope+scope:sha256-hash entries, as `learnpath keys new` prints them',
  API_KEYS_FILE: 'an existing file of API key entries',
  CMI5_LRS_ORIGINS: 'comma-separated origins of LRSs such as https://lrs.example.org (scheme, host and optional port; no path)',
};

/** A setting that cannot be used; `message` is one line per bad setting. */
export class ConfigError extends Error {
  /** One line per problem: the variable, its value and what is expected. */
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
    this.lines = lines;
  }
}

/** Describes a bad setting in one line: `invalid configuration: NAME="value": expected …`. */
export function describeBadSetting(name: string, value: string | undefined, expected: string): string {
  // JSON quoting keeps the line one line whatever the value holds; long values are cut.
  const shown = value === undefined ? '(unset)' : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  return `invalid configuration: ${name}=${shown}: expected ${expected}`;
}

/** Parses the environment with `ServerEnvSchema`; throws a `ConfigError` naming every bad setting. */
export function parseServerEnv(env: Readonly<Record<string, string | undefined>>): ServerEnv {
  // Empty variables count as unset, as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ServerEnvSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const expected = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0]);
    const specific = issue.code === 'custom' ? (issue.params as { expected?: string } | undefined)?.expected : undefined;
    if (specific !== undefined || !expected.has(name)) expected.set(name, specific ?? (name in EXPECTED ? EXPECTED[name as SettingName] : 'a valid value'));
  }
  throw new ConfigError([...expected].map(([name, text]) => describeBadSetting(name, present[name], text)));
}
