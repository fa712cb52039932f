import { describe, expect, it } from 'vitest';
import { createApiKey } from '@learnpath/store';
import { build } from './support/app.js';
import { SEED } from './support/fixtures.js';

describe('rate limits of authenticated requests', () => {
  it('count per API key, not per client address', async () => {
    const a = createApiKey('a', ['progress:read']);
    const b = createApiKey('b', ['progress:read']);
    const app = await build({ apiKeys: [a, b], rateLimit: { max: 2, timeWindow: '1 minute' } });
    const get = (secret: string) => app.inject({ url: `/v1/learners/u1/paths/${SEED}/progress`, headers: { authorization: `Bearer ${secret}` } });
    expect((await get(a.secret)).statusCode).not.toBe(429);
    expect((await get(a.secret)).statusCode).not.toBe(429);
    expect((await get(a.secret)).statusCode).toBe(429);
    // The same address with another key has its own count.
    expect((await get(b.secret)).statusCode).not.toBe(429);
    expect((await get(b.secret)).headers['ratelimit-remaining']).toBe('0');
  });
});
