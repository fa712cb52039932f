/** An answer from another server that is longer than the caller reads. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
  }
}

/**
 * Reads the body of an answer from another server as text, up to `maxBytes`: a longer one (by its
 * Content-Length, or as it arrives) is dropped and refused with `ResponseTooLargeError`, so a
 * server that sends without end cannot fill this process's memory.
 */
export async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses a JSON answer of at most `maxBytes` (`SyntaxError` when it is not JSON). */
export async function readLimitedJson(response: Response, maxBytes: number): Promise<unknown> {
  return JSON.parse(await readLimitedText(response, maxBytes)) as unknown;
}

/**
 * Drops the body of an answer that is not read (a status says enough): a body left unread keeps
 * its connection from being used again until it is collected.
 */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
