import { describe, expect, it } from 'vitest';
import { readServerConfig } from '../src/config.js';
import { ConfigError, EXPECTED, SETTING_NAMES } from '../src/config-schema.js';
import { BAD_VALUES, GOOD_VALUES, readmeSettings } from './support/settings-examples.js';

describe('settings', () => {
  it('the README lists exactly the settings the schema reads', () => {
    expect([...readmeSettings()].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it.each(readmeSettings())('a bad %s is refused with one line naming the variable, the value and what is expected', (name) => {
    const value = BAD_VALUES[name as keyof typeof BAD_VALUES];
    expect(value, `no bad value for ${name}`).toBeDefined();
    let error: unknown;
    try {
      readServerConfig({ [name]: value }, []);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^invalid configuration: ${name}=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: expected `));
    expect(lines[0]).toContain(EXPECTED[name as keyof typeof EXPECTED]);
  });

  it('names every bad setting at once, one line each', () => {
    expect(() => readServerConfig({ PORT: 'abc', RATE_LIMIT_WINDOW: '1 minut' }, [])).toThrow(
      'invalid configuration: PORT="abc": expected a port number from 0 to 65535 (0: any free port)\n' +
        'invalid configuration: RATE_LIMIT_WINDOW="1 minut": expected a duration such as "1 minute", "30 seconds", "1h" or milliseconds ("60000")',
    );
  });

  it('accepts a valid value of every setting', () => {
    const config = readServerConfig({ ...GOOD_VALUES, CONTENT_DIR: 'content' }, []);
    expect(config).toMatchObject({
      port: 0,
      corsOrigins: ['https://app.example.org', 'http://localhost:5173'],
      cacheControl: 'public, max-age=30, stale-while-revalidate=60',
      rateLimit: { max: 500, timeWindow: '30 seconds', allowList: ['10.0.0.5', '::1'] },
      timeouts: { requestMs: 20_000, headersMs: 5_000, connectionMs: 30_000 },
      publicBaseUrl: 'https://learn.example.org',
      shutdownTimeoutMs: 5_000,
      cmi5LrsOrigins: ['https://lrs.example.org', 'http://127.0.0.1:8080'],
    });
  });

  it('accepts the durations, hosts and flags the README shows', () => {
    for (const window of ['1 minute', '10 seconds', '1h', '60000', '1.5 hours']) expect(readServerConfig({ RATE_LIMIT_WINDOW: window }, []).rateLimit).toBeTruthy();
    for (const host of ['0.0.0.0', '::', '::1', 'localhost', 'api.internal']) expect(readServerConfig({ HOST: host }, []).host).toBe(host);
    for (const flag of ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']) expect(typeof readServerConfig({ TRUST_PROXY: flag }, []).trustProxy).toBe('boolean');
    expect(readServerConfig({ CORS_ORIGINS: '*' }, []).corsOrigins).toBe('*');
    expect(readServerConfig({ CACHE_CONTROL: 'no-cache, private="set-cookie"' }, []).cacheControl).toBe('no-cache, private="set-cookie"');
  });

  it('refuses a headers timeout beyond the request timeout, saying the limit', () => {
    expect(() => readServerConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' }, [])).toThrow(
      'invalid configuration: HEADERS_TIMEOUT_MS="2000": expected at most REQUEST_TIMEOUT_MS (1000)',
    );
  });

  it('keeps a hostile value on one line', () => {
    expect(() => readServerConfig({ CACHE_CONTROL: 'public\nSet-Cookie: x=1' }, [])).toThrow(/^invalid configuration: CACHE_CONTROL="public\\nSet-Cookie: x=1": expected /);
  });
});
