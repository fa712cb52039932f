import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlatforms, readPlatforms, resolvePlatform, StaticPlatformRegistry } from './platforms.js';

const canvas = {
  issuer: 'https://canvas.instructure.com',
  clientId: '10000000000001',
  deploymentIds: ['1:abc'],
  authLoginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  accessTokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
  jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
};

describe('platform configuration', () => {
  it('reads a list of platforms', () => {
    expect(parsePlatforms(JSON.stringify([canvas]), 'LTI_PLATFORMS')).toEqual([canvas]);
  });

  it('names the variable and the field that is wrong', () => {
    expect(() => parsePlatforms('[{', 'LTI_PLATFORMS')).toThrow(/^LTI_PLATFORMS is not valid JSON/);
    expect(() => parsePlatforms(JSON.stringify([{ ...canvas, jwksUrl: 'ftp://x' }]), 'LTI_PLATFORMS')).toThrow(/^LTI_PLATFORMS is not a valid platform list: \[0\]\.\[jwksUrl\]: /);
    expect(() => parsePlatforms(JSON.stringify([{ ...canvas, deploymentIds: [] }]), 'LTI_PLATFORMS')).toThrow(/\[0\]\.\[deploymentIds\]/);
    expect(() => parsePlatforms(JSON.stringify([{ ...canvas, clientid: 'typo' }]), 'LTI_PLATFORMS')).toThrow(/clientid/);
    expect(() => parsePlatforms(JSON.stringify({ issuer: 'x' }), 'LTI_PLATFORMS')).toThrow(/\(top level\)/);
    expect(() => parsePlatforms(JSON.stringify([canvas, canvas]), 'LTI_PLATFORMS')).toThrow(/lists issuer https:\/\/canvas.instructure.com with client id 10000000000001 twice/);
  });

  it('reads LTI_PLATFORMS_FILE, and refuses both variables at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lp-lti-'));
    try {
      const file = path.join(dir, 'platforms.json');
      await writeFile(file, JSON.stringify([canvas]));
      expect(await readPlatforms({ LTI_PLATFORMS_FILE: file })).toEqual([canvas]);
      await expect(readPlatforms({ LTI_PLATFORMS_FILE: path.join(dir, 'missing.json') })).rejects.toThrow(/cannot be read: ENOENT/);
      await expect(readPlatforms({ LTI_PLATFORMS: '[]', LTI_PLATFORMS_FILE: file })).rejects.toThrow(/not both/);
      expect(await readPlatforms({})).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds a registration by issuer and client id', async () => {
    const registry = new StaticPlatformRegistry([canvas, { ...canvas, clientId: '2' }]);
    expect(await resolvePlatform(registry, canvas.issuer, '2')).toMatchObject({ clientId: '2' });
    expect(await resolvePlatform(registry, canvas.issuer, undefined)).toBe('ambiguous');
    expect(await resolvePlatform(registry, canvas.issuer, '3')).toBe('unknown-client');
    expect(await resolvePlatform(registry, 'https://other', undefined)).toBe('unknown-issuer');
  });
});
