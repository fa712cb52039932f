import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.js';

const sandbox = mkdtempSync(join(tmpdir(), 'lp-cli-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** Runs `learnpath ...args` in-process in `cwd`, collecting what it prints. */
const learnpath = (args: string[], cwd = sandbox) => runCli(args, cwd);

describe('learnpath <command> --help', () => {
  it.each(['check', 'build', 'new', 'export'])('prints the help of %s alone', async (command) => {
    const { code, stdout } = await learnpath([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: learnpath ${command} `));
    expect(stdout).not.toContain('Commands:');
  });

  it('shows that build writes to standard output without --out', async () => {
    const { stdout } = await learnpath(['build', '-h']);
    expect(stdout).toContain('Usage: learnpath build [dir] [--out FILE] [--pretty]');
    expect(stdout).toMatch(/--out FILE\s+Where to write the catalog \(default: standard output\)/);
  });

  it('treats names of Object.prototype as unknown commands', async () => {
    const { code, stderr } = await learnpath(['constructor']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "constructor"');
  });
});

describe('wrong options', () => {
  it('names an unknown option with balanced quotes and points at the command help', async () => {
    const { code, stderr } = await learnpath(['build', '--nope']);
    expect(code).toBe(2);
    expect(stderr).toBe('learnpath build: unknown option "--nope"\nRun "learnpath build --help" for usage.\n');
    expect(stderr.split('"').length % 2).toBe(1);
  });

  it('says which option lacks its value', async () => {
    const { stderr } = await learnpath(['build', 'content', '--out']);
    expect(stderr).toContain('learnpath build: option "--out" needs a value');
  });
});

describe('run outside the content folder', () => {
  it('says where to run when no folder is named and there is no content folder here', async () => {
    const project = join(sandbox, 'project');
    const below = join(project, 'docs', 'notes');
    mkdirSync(join(project, 'content'), { recursive: true });
    mkdirSync(below, { recursive: true });
    for (const args of [['check'], ['build'], ['export', 'some-path', '--format', 'markdown']]) {
      const { code, stderr } = await learnpath(args, below);
      expect(code).toBe(2);
      expect(stderr).toBe(`learnpath ${args[0]}: no "content" folder in ${below}; the nearest is in ${project}, run it there, or name the folder: learnpath ${args[0]} <dir>\n`);
    }
  });

  it('checks the content folder of the working directory as before', async () => {
    const project = join(sandbox, 'empty-project');
    mkdirSync(join(project, 'content'), { recursive: true });
    const { code, stdout } = await learnpath(['check'], project);
    expect(stdout).toContain('0 errors');
    expect(code).toBe(0);
  });
});
