import { STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_TIMEOUTS } from '../defaults.js';
import { PROBLEM_CONTENT_TYPE } from '../http/problem.js';

/** Timeouts against slow and idle clients, in milliseconds. */
export interface TimeoutOptions {
  /** Time a client has to send a whole request, headers and body; beyond it, 408. Default 30 000. */
  requestMs?: number;
  /** Time a client has to send the request headers; beyond it, 408. At most `requestMs`. Default 10 000. */
  headersMs?: number;
  /** A connection with no traffic in either direction for this long is closed (slow readers). Default 60 000. */
  connectionMs?: number;
}

export { DEFAULT_TIMEOUTS } from '../defaults.js';

/**
 * The Fastify server options that enforce the timeouts. Node checks request and headers
 * deadlines on an interval (`connectionsCheckingInterval`, 30 s by default), so a deadline of
 * a few seconds alone would be enforced up to 30 s late; the interval is derived from the
 * shortest deadline. Node only reads these options when the server is created, hence `http`.
 */
export function timeoutServerOptions(timeouts: TimeoutOptions = {}): { requestTimeout: number; connectionTimeout: number; http: ServerOptions } {
  const { requestMs, headersMs, connectionMs } = { ...DEFAULT_TIMEOUTS, ...timeouts };
  for (const [name, value] of Object.entries({ requestMs, headersMs, connectionMs })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`timeouts.${name} must be a positive number of milliseconds, not ${value}`);
  }
  if (headersMs > requestMs) throw new RangeError(`timeouts.headersMs (${headersMs}) must not exceed timeouts.requestMs (${requestMs})`);
  const connectionsCheckingInterval = Math.max(100, Math.min(1000, Math.floor(Math.min(headersMs, requestMs) / 4)));
  return {
    requestTimeout: requestMs,
    connectionTimeout: connectionMs,
    http: { requestTimeout: requestMs, headersTimeout: headersMs, connectionsCheckingInterval },
  };
}

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time; send it again, whole and without pauses.' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are larger than this service accepts.' },
};

/**
 * Fastify's `clientErrorHandler`: errors on a connection before a request could be routed
 * (timeouts, malformed HTTP). Answers with a problem document on the raw socket and closes it.
 */
export function writeClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (error.code && CLIENT_ERRORS[error.code]) || { status: 400, detail: 'The request is not valid HTTP.' };
  const title = STATUS_CODES[known.status] ?? 'Bad Request';
  const body = JSON.stringify({ type: 'about:blank', title, status: known.status, detail: known.detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
