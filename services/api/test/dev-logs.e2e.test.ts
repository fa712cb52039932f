import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, waitFor, type ServerProcess } from './support/server-process.js';

// What `npm run dev` logs when an edit breaks the content, and what a person at a terminal sees.

const document = (second: string, first = '[Duration]'): string => `# Reload Log

## Overview

A path to watch.

## Learning Path

### Phase 1: Basics

1. **First** — [Article]
   - Duration: ${first}
2. **Second** — [Video]
   - Duration: ${second}
`;

/** The messages of the JSON log lines written after `from` characters of output. */
const messagesAfter = (output: string, from: number): { level: number; msg: string }[] =>
  output
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });

describe('npm run dev, when an edit breaks the content', () => {
  let dir: string;
  let server: ServerProcess;
  const file = (): string => join(dir, 'reload-log.md');
  const waitAfter = (from: number, text: string): Promise<true> =>
    waitFor(() => (server.output().slice(from).includes(text) ? true : undefined), 30_000, `"${text}" in the log`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'learnpath-dev-logs-'));
    await writeFile(file(), document('10 minutes'));
    server = await startServer('dev', { CONTENT_DIR: dir });
    await server.waitForOutput('watching');
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs each error on a line of its own in file:line:col form, then one summary line, without repeating unchanged warnings', async () => {
    const from = server.output().length;
    await writeFile(file(), document('about an hour'));
    await waitAfter(from, 'content not reloaded');
    const messages = messagesAfter(server.output(), from);
    expect(messages.map((m) => m.msg)).toEqual([
      `reload-log.md:14:16 error LP204 cannot read the duration "about an hour": expected e.g. "35 minutes", "45 min", "1.5 hours", "1 hour 15 minutes", "1h 30m", "10:42" (mm:ss) or "1:02:03"`,
      expect.stringMatching(/^content not reloaded: 1 error, 1 warning in 1 file \(1 unchanged warning not repeated\); still serving the last good content \(version \w+\)$/),
    ]);
    expect(messages.every((m) => m.level === 50)).toBe(true);
  });

  it('logs a warning only when it is new', async () => {
    const from = server.output().length;
    await writeFile(file(), document('also about an hour', '[Duration]'));
    await waitAfter(from, 'content not reloaded');
    const messages = messagesAfter(server.output(), from).map((m) => m.msg);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/:14:16 error LP204 cannot read the duration "also about an hour"/);

    const fixed = server.output().length;
    await writeFile(file(), document('10 minutes', '[Duration]\n   - Focus: [Focus]'));
    await waitAfter(fixed, 'content reloaded');
    const after = messagesAfter(server.output(), fixed).map((m) => m.msg);
    expect(after).toEqual([
      expect.stringMatching(/reload-log\.md:13:\d+ warning LP210 "Focus" is a template placeholder/),
      expect.stringMatching(/^content reloaded: 1 path\(s\), version \w+, 0 errors, 2 warnings in 1 file \(1 unchanged warning not repeated\)$/),
    ]);
  });
});

describe('npm start at a terminal', () => {
  it('logs human-readable lines instead of JSON', async () => {
    // `script` gives the server a pseudo-terminal as standard output.
    const command = `${join(ROOT, 'node_modules', '.bin', 'tsx')} services/api/src/server.ts`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', NO_COLOR: '1' },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(() => (output.includes('listening at') ? true : undefined), 60_000, 'the start line');
      const line = output.split('\n').find((l) => l.includes('listening at'))!;
      expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Learnpath API listening at http:\/\/127\.0\.0\.1:\d+ /);
      expect(output).not.toContain('{"level"');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
