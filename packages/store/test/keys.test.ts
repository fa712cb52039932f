import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeyConfigError, createApiKey, createApiKeyring, loadApiKeys, parseApiKeyEntry, parseApiKeys } from '../src/index.js';

describe('API keys', () => {
  it('creates a random secret and an entry that holds only its hash', () => {
    const a = createApiKey('lms-backend', ['progress:write', 'progress:read']);
    const b = createApiKey('lms-backend', ['progress:read']);
    expect(a.secret).toMatch(/^lp_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.scopes).toEqual(['progress:read', 'progress:write']);
    expect(a.entry).toMatch(/^lms-backend:progress:read\+progress:write:sha256-[A-Za-z0-9_-]{43}$/);
    expect(a.entry).not.toContain(a.secret.slice(3));
    expect(parseApiKeyEntry(a.entry)).toEqual({ name: 'lms-backend', scopes: ['progress:read', 'progress:write'], hash: a.hash });
  });

  it('verifies a presented secret against the configured keys', () => {
    const reader = createApiKey('reader', ['progress:read']);
    const admin = createApiKey('admin', ['progress:read', 'progress:write', 'learners:delete']);
    const ring = createApiKeyring(parseApiKeys(`${reader.entry},${admin.entry}`));
    expect(ring.verify(reader.secret)).toEqual({ name: 'reader', scopes: ['progress:read'] });
    expect(ring.verify(admin.secret)?.scopes).toEqual(['progress:read', 'progress:write', 'learners:delete']);
    expect(ring.verify(`${reader.secret}x`)).toBeNull();
    expect(ring.verify('')).toBeNull();
    // Revoked: removed from the configuration.
    expect(createApiKeyring(parseApiKeys(admin.entry)).verify(reader.secret)).toBeNull();
  });

  it('reads API_KEYS and API_KEYS_FILE (one entry a line, comments allowed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-keys-'));
    try {
      const a = createApiKey('a', ['progress:read']);
      const b = createApiKey('b', ['progress:write']);
      const c = createApiKey('c', ['learners:delete']);
      const file = join(dir, 'keys');
      await writeFile(file, `# keys of the reporting jobs\n${b.entry}\n\n${c.entry}\n`);
      const keys = loadApiKeys({ API_KEYS: ` ${a.entry} `, API_KEYS_FILE: file });
      expect(keys.map((k) => k.name)).toEqual(['a', 'b', 'c']);
      expect(loadApiKeys({})).toEqual([]);
      expect(() => loadApiKeys({ API_KEYS_FILE: join(dir, 'missing') })).toThrow(/cannot read it \(ENOENT\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['no-fields', /expected name:scope\+scope:sha256-hash/],
    ['bad name!:progress:read:sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', /name "bad name!"/],
    ['x:progress:read:md5-abc', /expected the hash as sha256-/],
    ['x:progress:admin:sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', /unknown scope "progress:admin"/],
    ['x::sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', /unknown scope ""/],
    ['x:progress:read:sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,x:progress:write:sha256-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', /"x" is already configured/],
  ])('refuses the configuration %s with a reason', (text, reason) => {
    expect(() => parseApiKeys(text)).toThrow(ApiKeyConfigError);
    expect(() => parseApiKeys(text)).toThrow(reason);
  });

  it('refuses to create a key without scopes or with a bad name', () => {
    expect(() => createApiKey('ok', [])).toThrow(/no scopes/);
    expect(() => createApiKey('has:colon', ['progress:read'])).toThrow(ApiKeyConfigError);
  });
});
