import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLoggerOptions } from '../src/plugins/logger-options.js';

/** Logs one message through a Fastify logger made with `createLoggerOptions` and returns what was written. */
async function logThrough(pretty: boolean): Promise<string> {
  let written = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  const app = Fastify({ logger: createLoggerOptions({ level: 'info', pretty, destination }) });
  app.log.error('a.md:5:5 error LP204 bad duration');
  await app.close();
  return written;
}

describe('createLoggerOptions', () => {
  it('writes JSON lines for log collectors', async () => {
    const line = JSON.parse((await logThrough(false)).trim()) as { level: number; msg: string };
    expect(line).toMatchObject({ level: 50, msg: 'a.md:5:5 error LP204 bad duration' });
  });

  it('writes readable lines for a person at a terminal', async () => {
    const text = await logThrough(true);
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] ERROR: a\.md:5:5 error LP204 bad duration\n$/);
  });
});
