import { describe, expect, it } from 'vitest';
import { fetchPlatformConfiguration } from '../lti/dynamic-registration.js';
import { PlatformKeySets } from '../lti/platform-keys.js';
import { readLimitedJson, readLimitedText, ResponseTooLargeError } from './read-limited.js';

/** An answer whose body never ends (a kilobyte at a time); `pulled` counts the chunks read. */
function endless(headers: Record<string, string> = {}): { response: Response; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new TextEncoder().encode(`${'{"a":1},'.repeat(128)}`));
    },
  });
  return { response: new Response(stream, { headers: { 'content-type': 'application/json', ...headers } }), pulled: () => pulled };
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

  it('a platform whose OpenID configuration or key set never ends is refused (502), not read into memory', async () => {
    await expect(fetchPlatformConfiguration('https://platform.example/.well-known/openid-configuration', undefined, { fetch: async () => endless().response })).rejects.toMatchObject({
      statusCode: 502,
      message: expect.stringContaining('with more than 262144 bytes'),
    });
    const keys = new PlatformKeySets({ fetch: async () => endless().response });
    await expect(keys.keyFor('https://platform.example/jwks', 'k1')).rejects.toMatchObject({ statusCode: 502, message: expect.stringContaining('larger than 262144 bytes') });
  });
});
