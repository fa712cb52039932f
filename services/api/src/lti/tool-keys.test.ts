import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryKeyStore, ToolKeySet } from './tool-keys.js';

describe('tool keys', () => {
  it('generates and stores one key when there is none, and reuses it on the next start', async () => {
    const store = new MemoryKeyStore();
    const first = await ToolKeySet.load({ store });
    const again = await ToolKeySet.load({ store });
    expect(again.signingKey.kid).toBe(first.signingKey.kid);
    expect(first.jwks().keys).toEqual([{ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: first.signingKey.kid, alg: 'RS256', use: 'sig' }]);
  });

  it('signs with a PEM file key (PKCS#8 or PKCS#1) and keeps publishing stored keys', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lp-keys-'));
    try {
      const pkcs8 = path.join(dir, 'a.pem');
      const pkcs1 = path.join(dir, 'b.pem');
      await writeFile(pkcs8, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await writeFile(pkcs1, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }));
      const store = new MemoryKeyStore();
      const generated = (await ToolKeySet.load({ store })).signingKey.kid;
      const keys = await ToolKeySet.load({ store, pemFiles: [pkcs8, pkcs1] });
      expect(keys.keys).toHaveLength(3);
      expect(keys.jwks().keys.map((k) => k.kid)).toContain(generated);
      expect(keys.signingKey.kid).not.toBe(generated);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says which file is wrong', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lp-keys-'));
    try {
      const bad = path.join(dir, 'bad.pem');
      await writeFile(bad, 'not a key');
      const ec = path.join(dir, 'ec.pem');
      await writeFile(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const store = new MemoryKeyStore();
      await expect(ToolKeySet.load({ store, pemFiles: [bad] })).rejects.toThrow(`LTI_PRIVATE_KEY_FILE ${bad} does not hold a PEM private key`);
      await expect(ToolKeySet.load({ store, pemFiles: [ec] })).rejects.toThrow('LTI keys must be RSA keys (RS256), got ec');
      await expect(ToolKeySet.load({ store, pemFiles: [path.join(dir, 'none.pem')] })).rejects.toThrow(/cannot be read: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads keys added elsewhere after the cache time, or at once (at most once a second) when a token names an unknown kid', async () => {
    const store = new MemoryKeyStore();
    let clock = 1_000_000;
    const keys = await ToolKeySet.load({ store, cache: { ttlMs: 30_000, now: () => clock } });
    const other = await ToolKeySet.load({ store });
    const first = keys.signingKey.kid;
    const added = await other.rotate();
    await keys.refresh();
    expect(keys.signingKey.kid).toBe(first);
    await keys.refreshFor(added.kid);
    expect(keys.signingKey.kid).toBe(added.kid);
    const third = await other.rotate();
    clock += 500;
    await keys.refreshFor(third.kid);
    expect(keys.find(third.kid)).toBeUndefined();
    clock += 30_000;
    await keys.refresh();
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([third.kid, added.kid, first]);
    await store.retireKey(added.kid);
    clock += 30_000;
    await keys.refresh();
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([third.kid, first]);
  });
});
