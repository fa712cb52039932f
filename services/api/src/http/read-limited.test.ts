import { describe, expect, it } from 'vitest';
import { fetchPlatformConfiguration } from '../lti/dynamic-registration.js';
import { PlatformKeySets } from '../lti/platform-keys.js';
import { AgsTokenClient } from '../lti/ags.js';
import { MemoryKeyStore, ToolKeySet } from '../lti/index.js';
import { discardBody, readLimitedJson, readLimitedText, ResponseTooLargeError } from './read-limited.js';

/** An answer whose body never ends (a kilobyte at a time); `pulled` counts the chunks read, `cancelled` says whether it was dropped. */
function endless(headers: Record<string, string> = {}, init: ResponseInit = {}): { response: Response; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new TextEncoder().encode(`${'{"a":1},'.repeat(128)}`));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: new Response(stream, { ...init, headers: { 'content-type': 'application/json', ...headers } }), pulled: () => pulled, cancelled: () => cancelled };
}

describe('reading an answer from another server', () => {
  it('reads an answer within the limit', async () => {
    expect(await readLimitedText(new Response('hello'), 5)).toBe('hello');
    expect(await readLimitedJson(new Response('{"keys":[]}'), 100)).toEqual({ keys: [] });
    await expect(readLimitedJson(new Response('not json'), 100)).rejects.toBeInstanceOf(SyntaxError);
  });

  it('refuses an answer whose Content-Length is over the limit, without reading it', async () => {
    const { response, pulled } = endless({ 'content-length': '1000000' });
    await expect(readLimitedText(response, 1024)).rejects.toEqual(new ResponseTooLargeError(1024));
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it('stops reading an answer that never ends once it passes the limit', async () => {
    const { response, pulled } = endless();
    await expect(readLimitedText(response, 64 * 1024)).rejects.toBeInstanceOf(ResponseTooLargeError);
    // 64 KiB in chunks of 1 KiB: the reading stopped right after the limit.
    expect(pulled()).toBeLessThan(70);
  });

  it('drops a body it does not read, so that its connection can be used again', async () => {
    const unread = endless();
    await discardBody(unread.response);
    expect(unread.cancelled()).toBe(true);
    // A score the platform accepts or refuses: its answer's body is dropped either way.
    const keys = await ToolKeySet.load({ store: new MemoryKeyStore() });
    const answers: ReturnType<typeof endless>[] = [];
    const client = new AgsTokenClient({
      keys,
      fetch: async (url) => {
        if (String(url).endsWith('/token')) return new Response(JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 3600 }));
        const answer = endless({}, { status: answers.length === 0 ? 200 : 400 });
        answers.push(answer);
        return answer.response;
      },
    });
    const platform = { issuer: 'https://platform.example', clientId: 'c', deploymentIds: ['d'], authLoginUrl: 'https://platform.example/auth', accessTokenUrl: 'https://platform.example/token', jwksUrl: 'https://platform.example/jwks' };
    const score = { userId: 'u', scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date().toISOString() } as const;
    await client.postScore(platform, 'https://platform.example/lineitems/1', score);
    await expect(client.postScore(platform, 'https://platform.example/lineitems/1', score)).rejects.toMatchObject({ status: 400 });
    expect(answers.map((answer) => answer.cancelled())).toEqual([true, true]);
  });

  it('a platform whose OpenID configuration or key set never ends is refused (502), not read into memory', async () => {
    await expect(fetchPlatformConfiguration('https://platform.example/.well-known/openid-configuration', undefined, { fetch: async () => endless().response })).rejects.toMatchObject({
      statusCode: 502,
      message: expect.stringContaining('with more than 262144 bytes'),
    });
    const keys = new PlatformKeySets({ fetch: async () => endless().response });
    await expect(keys.keyFor('https://platform.example/jwks', 'k1')).rejects.toMatchObject({ statusCode: 502, message: expect.stringContaining('larger than 262144 bytes') });
  });
});
