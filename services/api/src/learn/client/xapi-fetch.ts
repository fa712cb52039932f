
/** An LRS answer that was not a success. */
export class LrsError extends Error {
  override readonly name = 'LrsError';
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(`The LRS answered ${status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`);
  }
}

/**
 * The transport of the xAPI client: `fetch` with `keepalive`, so that the statement sent while
 * the page is being left (`terminated` on `pagehide`) still reaches the LRS; no cookies.
 */
export const keepaliveAdapter = async <T = unknown>({ url, method, data, headers }: { url: string; method: string; data?: unknown; headers?: Record<string, string> }): Promise<{ data: T; headers: Record<string, string>; status: number }> => {
  const body = data === undefined || data === null ? undefined : typeof data === 'string' ? data : JSON.stringify(data);
  const response = await fetch(url, { method, headers: headers ?? {}, body, keepalive: true, credentials: 'omit', mode: 'cors', cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) throw new LrsError(response.status, text);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the document as text.
  }
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = value));
  return { data: parsed as T, headers: responseHeaders, status: response.status };
};

/** A version 4 UUID from the platform's random source (randomUUID exists only on secure origins). */
export function createUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
