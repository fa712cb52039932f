import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, type SettingName } from '../src/config-schema.js';
import { fixturePaths, SEED } from './support/fixtures.js';
import { builtServer, createContentDir, ROOT, spawnProcess, spawnScript, startServer, type ServerProcess } from './support/server-process.js';
import { BAD_VALUES, GOOD_VALUES, readmeSettings } from './support/settings-examples.js';

/** Runs the server process with the given variables until it exits; resolves with its exit code and stderr. */
async function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  // A process that starts despite the bad value would never exit: it is killed and the test fails.
  const built = await builtServer();
  const server = spawnProcess({ ...built, env: { ...built.env, ...env } });
  const code = await server.waitForExit(45_000);
  return { code, stderr: server.stderr() };
}

describe('the server process with bad settings', () => {
  const line = (name: SettingName, value: string, expected: string): string => `learnpath api: invalid configuration: ${name}=${JSON.stringify(value)}: expected ${expected}`;
  // The content source is checked once the other settings are good, so it gets runs of its own.
  const sourceSettings: SettingName[] = ['CONTENT_DIR', 'CATALOG_FILE'];
  // Files and key entries are read once the schema holds, so they too get runs of their own.
  const laterSettings: SettingName[] = ['API_KEYS', 'API_KEYS_FILE', 'LTI_PLATFORMS_FILE', 'LTI_PRIVATE_KEY_FILE'];
  const others = (readmeSettings() as SettingName[]).filter((name) => !sourceSettings.includes(name) && !laterSettings.includes(name));

  it('exits 2 with one line per bad setting, naming the variable, the value and what is expected', async () => {
    const { code, stderr } = await runServer(Object.fromEntries(others.map((name) => [name, BAD_VALUES[name]])));
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n').sort()).toEqual(others.map((name) => line(name, BAD_VALUES[name], EXPECTED[name])).sort());
  });

  it.each(sourceSettings)('exits 2 on a %s that does not exist', async (name) => {
    const { code, stderr } = await runServer({ [name]: BAD_VALUES[name] });
    expect(code).toBe(2);
    expect(stderr).toBe(`${line(name, BAD_VALUES[name], EXPECTED[name])} (${join(ROOT, BAD_VALUES[name])} does not exist)\n`);
  });

  it.each(laterSettings)('exits 2 on a bad %s, naming it', async (name) => {
    const { code, stderr } = await runServer({ [name]: BAD_VALUES[name] });
    expect(code).toBe(2);
    expect(stderr).toContain(line(name, BAD_VALUES[name], EXPECTED[name]));
  });

  it('exits 2 on a mistyped rate limit window under npm start, instead of failing every request', async () => {
    const { output, waitForExit } = spawnScript('start', { RATE_LIMIT_WINDOW: '1 minut' });
    expect(await waitForExit(60_000)).toBe(2);
    expect(output()).toContain(line('RATE_LIMIT_WINDOW', '1 minut', EXPECTED.RATE_LIMIT_WINDOW));
    expect(output()).not.toContain('listening at');
  });
});

describe('the server process with a valid value of every setting', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let server: ServerProcess;

  beforeAll(async () => {
    content = await createContentDir(fixturePaths);
    server = await startServer(await builtServer(), { ...GOOD_VALUES, CONTENT_DIR: content.dir });
  });
  afterAll(async () => {
    await server?.stop();
    await content?.remove();
  });

  it('starts and serves the routes with them', async () => {
    const response = await fetch(`${server.url}/v1/paths/${SEED}`, { headers: { origin: 'https://app.example.org' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(GOOD_VALUES.CACHE_CONTROL);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    expect(response.headers.get('ratelimit-limit')).toBe('500');
    expect(Number(response.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(30);
    const list = await fetch(`${server.url}/v1/paths`);
    expect(list.status).toBe(200);
  });
});
