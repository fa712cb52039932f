import { describe, expect, it } from 'vitest';
import { createApiKeyring, parseApiKeys } from '@learnpath/store';
import { runCli } from './support/cli.js';

const learnpath = (...args: string[]) => runCli(args);

describe('learnpath keys new', () => {
  it('prints a JSON key whose entry verifies its secret', async () => {
    const { code, stdout } = await learnpath('keys', 'new', '--name', 'lms', '--scopes', 'progress:read,progress:write', '--format', 'json');
    expect(code).toBe(0);
    const key = JSON.parse(stdout) as { name: string; scopes: string[]; secret: string; entry: string };
    expect(Object.keys(key)).toEqual(['name', 'scopes', 'secret', 'entry']);
    expect(key.name).toBe('lms');
    expect(key.scopes).toEqual(['progress:read', 'progress:write']);
    expect(key.entry.startsWith('lms:progress:read+progress:write:sha256-')).toBe(true);
    expect(key.entry).not.toContain(key.secret);
    expect(createApiKeyring(parseApiKeys(key.entry)).verify(key.secret)).toEqual({ name: 'lms', scopes: ['progress:read', 'progress:write'] });
  });

  it('prints the secret and entry as text, with the advice on stderr', async () => {
    const { code, stdout, stderr } = await learnpath('keys', 'new', '--name', 'eraser', '--scopes', 'learners:delete');
    expect(code).toBe(0);
    const secret = /^secret: (lp_\S+)$/m.exec(stdout)?.[1];
    const entry = /^entry: {2}(\S+)$/m.exec(stdout)?.[1];
    expect(secret).toBeDefined();
    expect(createApiKeyring(parseApiKeys(entry ?? '')).verify(secret ?? '')?.name).toBe('eraser');
    expect(stderr).toMatch(/cannot be shown again/);
  });

  it.each([
    [['keys'], /expected a subcommand/],
    [['keys', 'rotate'], /unknown subcommand "rotate"/],
    [['keys', 'new', '--scopes', 'progress:read'], /--name and --scopes are required/],
    [['keys', 'new', '--name', 'x', '--scopes', 'progress:admin'], /unknown scope "progress:admin"/],
    [['keys', 'new', '--name', 'x y', '--scopes', 'progress:read'], /key name "x y"/],
    [['keys', 'new', '--name', 'x', '--scopes', 'progress:read', '--format', 'yaml'], /--format must be text or json/],
    [['keys', 'new', '--name', 'x', '--scopes', 'progress:read', '--secret', 'mine'], /unknown option "--secret"/],
  ])('exits 2 on %j with a reason', async (args, reason) => {
    const { code, stdout, stderr } = await learnpath(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(reason);
  });
});
