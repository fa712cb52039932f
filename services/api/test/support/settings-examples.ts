import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SettingName } from '../../src/config-schema.js';

/** A wrong value for every setting, of the kind an operator mistypes. Typed by the schema: a new setting needs one. */
export const BAD_VALUES: Readonly<Record<SettingName, string>> = {
  HOST: 'localhost:3000',
  PORT: 'abc',
  CONTENT_DIR: './no-such-folder',
  CATALOG_FILE: './no-such-catalog.json',
  CORS_ORIGINS: 'app.example.org',
  CACHE_CONTROL: 'public, max-age=1 minute',
  LOG_LEVEL: 'verbose',
  LOG_REQUESTS: 'maybe',
  RATE_LIMIT_MAX: '1k',
  RATE_LIMIT_WINDOW: '1 minut',
  RATE_LIMIT_ALLOW: 'localhost',
  REQUEST_TIMEOUT_MS: '30s',
  HEADERS_TIMEOUT_MS: '10 seconds',
  CONNECTION_TIMEOUT_MS: '99999999999',
  PUBLIC_BASE_URL: 'learn.example.org',
  TRUST_PROXY: 'maybe',
  SHUTDOWN_TIMEOUT_MS: '-1',
  LTI_PLATFORMS: '{"issuer": "https://lms.example.org"',
  LTI_PLATFORMS_FILE: './no-such-platforms.json',
  LTI_PRIVATE_KEY_FILE: './no-such-key.pem',
  LTI_KEY_SECRET: 'short',
  DATA_DIR: 'data\ndir',
  DATABASE_URL: 'mysql://db.example.org/learnpath',
  API_KEYS: 'reader:read',
  API_KEYS_FILE: './no-such-keys.txt',
  CMI5_LRS_ORIGINS: 'https://lrs.example.org/xapi/',
};

/** A valid value other than the default for every setting but the content source (the caller's). */
export const GOOD_VALUES: Readonly<Record<Exclude<SettingName, 'CONTENT_DIR' | 'CATALOG_FILE' | 'LTI_PLATFORMS_FILE' | 'LTI_PRIVATE_KEY_FILE' | 'DATA_DIR' | 'DATABASE_URL' | 'API_KEYS' | 'API_KEYS_FILE'>, string>> = {
  HOST: '127.0.0.1',
  PORT: '0',
  CORS_ORIGINS: 'https://app.example.org, http://localhost:5173',
  CACHE_CONTROL: 'public, max-age=30, stale-while-revalidate=60',
  LOG_LEVEL: 'info',
  LOG_REQUESTS: 'off',
  RATE_LIMIT_MAX: '500',
  RATE_LIMIT_WINDOW: '30 seconds',
  RATE_LIMIT_ALLOW: '10.0.0.5, ::1',
  REQUEST_TIMEOUT_MS: '20000',
  HEADERS_TIMEOUT_MS: '5000',
  CONNECTION_TIMEOUT_MS: '30000',
  PUBLIC_BASE_URL: 'https://learn.example.org/',
  TRUST_PROXY: 'no',
  SHUTDOWN_TIMEOUT_MS: '5000',
  LTI_KEY_SECRET: 'an operator secret of some length',
  CMI5_LRS_ORIGINS: 'https://lrs.example.org, http://127.0.0.1:8080',
  LTI_PLATFORMS: JSON.stringify([
    {
      issuer: 'https://lms.example.org',
      clientId: 'learnpath',
      deploymentIds: ['1'],
      authLoginUrl: 'https://lms.example.org/auth',
      accessTokenUrl: 'https://lms.example.org/token',
      jwksUrl: 'https://lms.example.org/jwks',
    },
  ]),
};

/** The variables the README's settings table lists (its first column, in backticks). */
export function readmeSettings(): string[] {
  const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
  const table = /\| Variable \| Default \| Meaning \|\n\| --- .*\n((?:\|.*\n)+)/.exec(readme);
  if (!table) throw new Error('README.md has no settings table (| Variable | Default | Meaning |)');
  return table[1]!
    .split('\n')
    .filter((row) => row.startsWith('|'))
    .flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}
