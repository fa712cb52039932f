import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { fetchPlatformConfiguration, registerWithPlatform, renderRegistrationClosePage, toolUrls } from '../src/lti/index.js';
import { LtiPlatformEmulator } from './support/lti-platform.js';

let platform: LtiPlatformEmulator;
beforeAll(async () => {
  platform = await LtiPlatformEmulator.start({ redirectUris: [] });
});
afterAll(() => platform.close());

const urls = toolUrls('https://learn.example.org');

describe('Dynamic Registration', () => {
  it('reads the platform configuration and registers the tool with the registration token', async () => {
    const configuration = await fetchPlatformConfiguration(platform.openidConfigurationUrl, platform.registrationToken);
    expect(configuration.issuer).toBe(platform.issuer);
    const registered = platform.waitFor('registered');
    const result = await registerWithPlatform(configuration, platform.registrationToken, urls);
    const [{ clientId, body }] = await registered;
    expect(result).toEqual({
      issuer: platform.issuer,
      clientId,
      deploymentIds: ['deployment-registered'],
      authLoginUrl: platform.authUrl,
      accessTokenUrl: platform.tokenUrl,
      jwksUrl: platform.jwksUrl,
      keepPersonalData: false,
    });
    expect(body).toMatchObject({
      initiate_login_uri: 'https://learn.example.org/lti/login',
      redirect_uris: ['https://learn.example.org/lti/launch'],
      jwks_uri: 'https://learn.example.org/lti/jwks',
      // Without leave to keep them, the tool does not ask for names and emails.
      'https://purl.imsglobal.org/spec/lti-tool-configuration': { domain: 'learn.example.org', claims: ['iss', 'sub'] },
    });
  });

  it('asks for names and emails only when the deployment may keep them', async () => {
    const configuration = await fetchPlatformConfiguration(platform.openidConfigurationUrl, platform.registrationToken);
    const registered = platform.waitFor('registered');
    const result = await registerWithPlatform(configuration, platform.registrationToken, urls, { keepPersonalData: true });
    const [{ body }] = await registered;
    expect(result.keepPersonalData).toBe(true);
    expect(body).toMatchObject({ 'https://purl.imsglobal.org/spec/lti-tool-configuration': { claims: ['iss', 'sub', 'name', 'email'] } });
  });

  it('reports a refused registration token as a platform problem', async () => {
    const configuration = await fetchPlatformConfiguration(platform.openidConfigurationUrl, undefined);
    await expect(registerWithPlatform(configuration, 'wrong-token', urls)).rejects.toMatchObject({ name: 'LtiError', check: 'platform', message: 'The platform refused the registration (HTTP 401).' });
  });

  it('refuses an openid_configuration that is not an http(s) URL or not a configuration', async () => {
    await expect(fetchPlatformConfiguration('javascript:alert(1)', undefined)).rejects.toMatchObject({ check: 'platform', statusCode: 400 });
    await expect(fetchPlatformConfiguration(platform.jwksUrl, undefined)).rejects.toMatchObject({ check: 'platform', message: expect.stringContaining('issuer') });
  });

  it('closes with the org.imsglobal.lti.close message, allowed by the page policy', () => {
    const page = renderRegistrationClosePage();
    const script = /<script>([^<]*)<\/script>/.exec(page.html)?.[1] ?? '';
    expect(script).toContain("postMessage({ subject: 'org.imsglobal.lti.close' }, '*')");
    expect(page.csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });
});
