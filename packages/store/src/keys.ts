import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** What a key may do. */
export const ApiKeyScopeSchema = z.enum(['progress:read', 'progress:write', 'learners:delete']).describe('A permission of an API key.');
export type ApiKeyScope = z.output<typeof ApiKeyScopeSchema>;

/** Every scope, in a stable order. */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ApiKeyScopeSchema.options;

/** The name of a key: 1–64 letters, digits, `.`, `_` or `-` (no colon, which separates fields). */
export const ApiKeyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1–64 letters, digits, ".", "_" or "-"')
  .describe('Name of the key, shown in logs instead of the secret.');

/** A configured key: its name, scopes and the hash of its secret (never the secret). */
export interface ApiKey {
  name: string;
  scopes: ApiKeyScope[];
  /** `sha256-` and the base64url SHA-256 of the secret. */
  hash: string;
}

/** A new key: the secret to hand out once, and the configuration entry that holds its hash. */
export interface NewApiKey extends ApiKey {
  secret: string;
  /** The entry for `API_KEYS` / `API_KEYS_FILE`. */
  entry: string;
}

/** The API key configuration is wrong; the message says which entry and why (never a secret). */
export class ApiKeyConfigError extends Error {
  override readonly name = 'ApiKeyConfigError';
}

const SECRET_PREFIX = 'lp_';
const HASH_PREFIX = 'sha256-';
const HASH_PATTERN = /^sha256-[A-Za-z0-9_-]{43}$/;

// Secrets are 256 random bits, so a single SHA-256 is enough to make the stored hash useless to
// a reader of the configuration; a slow password hash would only cost time on every request.
function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The hash stored for `secret`. */
export function hashApiKeySecret(secret: string): string {
  return HASH_PREFIX + digest(secret).toString('base64url');
}

/** The configuration entry of a key: `name:scope+scope:sha256-<base64url>`. */
export function formatApiKeyEntry(key: ApiKey): string {
  return `${key.name}:${key.scopes.join('+')}:${key.hash}`;
}

/** Creates a key with a fresh random secret (`lp_` and 43 base64url characters). */
export function createApiKey(name: string, scopes: readonly string[]): NewApiKey {
  const parsedName = ApiKeyNameSchema.safeParse(name);
  if (!parsedName.success) throw new ApiKeyConfigError(`key name "${name}": ${parsedName.error.issues[0]?.message ?? 'invalid'}`);
  const checked = checkScopes(scopes, `key "${name}"`);
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  const key: ApiKey = { name, scopes: checked, hash: hashApiKeySecret(secret) };
  return { ...key, secret, entry: formatApiKeyEntry(key) };
}

function checkScopes(scopes: readonly string[], where: string): ApiKeyScope[] {
  if (scopes.length === 0) throw new ApiKeyConfigError(`${where}: no scopes; expected one or more of ${API_KEY_SCOPES.join(', ')}`);
  const result: ApiKeyScope[] = [];
  for (const scope of scopes) {
    const parsed = ApiKeyScopeSchema.safeParse(scope);
    if (!parsed.success) throw new ApiKeyConfigError(`${where}: unknown scope "${scope}"; expected ${API_KEY_SCOPES.join(', ')}`);
    if (!result.includes(parsed.data)) result.push(parsed.data);
  }
  return API_KEY_SCOPES.filter((s) => result.includes(s));
}

/** One entry `name:scope+scope:sha256-…` as a key; throws `ApiKeyConfigError` naming `where`. */
export function parseApiKeyEntry(entry: string, where = 'API key entry'): ApiKey {
  const text = entry.trim();
  // Scopes contain colons themselves: the name ends at the first colon, the hash starts after the last.
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0 || last <= first) throw new ApiKeyConfigError(`${where}: expected name:scope+scope:sha256-hash`);
  const name = text.slice(0, first);
  const hash = text.slice(last + 1);
  if (!ApiKeyNameSchema.safeParse(name).success) throw new ApiKeyConfigError(`${where}: the name "${name}" is not 1–64 letters, digits, ".", "_" or "-"`);
  if (!HASH_PATTERN.test(hash)) throw new ApiKeyConfigError(`${where} (${name}): expected the hash as sha256- and 43 base64url characters, as "learnpath keys new" prints it`);
  const scopes = checkScopes(text.slice(first + 1, last).split('+'), `${where} (${name})`);
  return { name, scopes, hash };
}

/** Parses entries separated by commas or new lines; `#` starts a comment line. Names must be unique. */
export function parseApiKeys(text: string, source = 'API_KEYS'): ApiKey[] {
  const keys: ApiKey[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim().startsWith('#')) return;
    for (const part of line.split(',')) {
      if (part.trim() === '') continue;
      const where = lines.length > 1 ? `${source}:${index + 1}` : `${source} entry ${keys.length + 1}`;
      const key = parseApiKeyEntry(part, where);
      if (keys.some((k) => k.name === key.name)) throw new ApiKeyConfigError(`${where}: a key named "${key.name}" is already configured`);
      keys.push(key);
    }
  });
  return keys;
}

/** The keys configured in `API_KEYS` (comma-separated) and the file named by `API_KEYS_FILE` (one or more per line). */
export function loadApiKeys(env: NodeJS.ProcessEnv = process.env): ApiKey[] {
  const keys = env.API_KEYS ? parseApiKeys(env.API_KEYS, 'API_KEYS') : [];
  const file = env.API_KEYS_FILE?.trim();
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ApiKeyConfigError(`API_KEYS_FILE ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    for (const key of parseApiKeys(text, file)) {
      if (keys.some((k) => k.name === key.name)) throw new ApiKeyConfigError(`${file}: a key named "${key.name}" is also in API_KEYS`);
      keys.push(key);
    }
  }
  return keys;
}

/** Looks up presented secrets among configured keys. */
export interface ApiKeyring {
  /** The configured keys (names, scopes, hashes). */
  readonly keys: readonly ApiKey[];
  /** The key whose secret this is, or null; compares against every key in constant time. */
  verify(secret: string): { name: string; scopes: readonly ApiKeyScope[] } | null;
}

/** A keyring over `keys`. */
export function createApiKeyring(keys: readonly ApiKey[]): ApiKeyring {
  const hashes = keys.map((k) => Buffer.from(k.hash.slice(HASH_PREFIX.length), 'base64url'));
  return {
    keys,
    verify(secret) {
      const presented = digest(secret);
      let found = -1;
      // Every key is compared, whatever matched, so the time does not tell which one did.
      hashes.forEach((hash, i) => {
        if (hash.length === presented.length && timingSafeEqual(hash, presented) && found === -1) found = i;
      });
      const key = found === -1 ? undefined : keys[found];
      return key ? { name: key.name, scopes: key.scopes } : null;
    },
  };
}
