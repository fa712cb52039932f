import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog } from '@learnpath/content';
import { BoundedCache } from './bounded-cache.js';
import { answerCached, type CachedBody, type SendOptions } from './cached-body.js';

// The hottest requests of a content API are the same few GETs, answered from bodies serialised
// once per content version. Once a route has answered a URL from such a body, the front cache
// answers that URL again before the framework sees the request: no routing, no request and
// reply objects, no validation of parameters already validated. The answer is negotiated by
// the same function the route uses (`answerCached`: ETag, 304, Accept, CORS, content coding),
// so the bytes are those the route would send. It is used only where the route would run no
// per-request work besides its handler: buildApp turns it off when rate limiting or request
// logging is on, and only routes whose body depends on the URL alone record into it.

// Bodies already live in the views' response caches; this bounds what the front cache keeps
// alive beyond them.
const FRONT_CACHE_BYTES = 32 * 2 ** 20;
// Longer URLs are not kept: they are rare in real traffic and each would hold a key.
const MAX_URL_LENGTH = 1024;

interface FrontEntry {
  readonly catalog: Catalog;
  readonly body: CachedBody;
  readonly options: SendOptions;
}

/** Answers repeated GETs of cached bodies straight from memory, in front of Fastify. */
export class FrontCache {
  readonly #current: () => Catalog;
  readonly #entries = new BoundedCache<FrontEntry>(FRONT_CACHE_BYTES, (entry) => entry.body.body.length);
  #closing = false;
  #answered = 0;

  /** `current` gives the catalog being served: entries of any other content version are not used. */
  constructor(current: () => Catalog) {
    this.#current = current;
  }

  /** Remembers that `url`, under `catalog`, is answered with `body` (a GET whose body depends on the URL alone). */
  remember(catalog: Catalog, method: string, url: string, body: CachedBody, options: SendOptions): void {
    if (method !== 'GET' || url.length > MAX_URL_LENGTH || this.#closing) return;
    const known = this.#entries.get(url);
    if (known !== undefined && known.catalog === catalog && known.body === body) return;
    this.#entries.set(url, { catalog, body, options });
  }

  /**
   * Answers `req` when it is a GET of a remembered URL of the current content version and the
   * negotiation gives a 200 or a 304; returns false, having written nothing, otherwise (the
   * request then goes to Fastify, which answers 406s, HEAD and everything else).
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || this.#closing) return false;
    const entry = this.#entries.get(req.url ?? '');
    if (entry === undefined || entry.catalog !== this.#current()) return false;
    const headers = req.headers;
    // A GET with a body is left to the framework, which reads and discards it the way it does for any route.
    if (headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0')) return false;
    const answer = answerCached(headers, entry.body, entry.options);
    if (answer === null) return false;
    if (answer.payload !== undefined) answer.headers['content-length'] = String(answer.payload.length);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.payload);
    this.#answered++;
    return true;
  }

  /** How many requests it has answered. */
  get answered(): number {
    return this.#answered;
  }

  /** From now on every request goes to Fastify, which answers 503 while the server closes. */
  close(): void {
    this.#closing = true;
  }
}
