import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Catalog } from '@learnpath/content';
import { BoundedCache } from './bounded-cache.js';
import { answerCached, type CachedBody, type SendOptions } from './cached-body.js';

// The hottest requests of a content API are the same few requests, answered from bodies
// serialised once per content version. Once a route has answered such a request, the front
// cache answers it again before the framework sees it: no routing, no request and reply
// objects, no hooks, no validation of what was already validated.
//
// - GETs of paths, phases, resources and listings: the route remembers the URL and its cached
//   body; the answer is negotiated per request by the function the route uses (`answerCached`:
//   ETag, 304, Accept, CORS, content coding), so the bytes are those the route would send.
// - POSTs of GraphQL queries: when the route has said that the answer to a POST of the same
//   body length may be kept, the body is read ahead (JSON, small, no credentials) and looked up
//   with every header the answer depends on. A miss goes on to Fastify with the body put back;
//   when the route marks its answer as the same for every such request, the status, headers and
//   bytes it sent are kept. GraphQL marks only answers its result cache gave: a query is kept
//   here from its third ask within that cache's window, and a stream of distinct queries is
//   answered by the route every time, unread by the front cache.
//
// It is used only where the routes would run no per-request work of their own besides their
// handlers: buildApp turns it off when rate limiting or request logging is on.

// Bodies already live in the views' response caches; this bounds what the front cache keeps
// alive beyond them.
const GET_BUDGET_BYTES = 32 * 2 ** 20;
const POST_BUDGET_BYTES = 32 * 2 ** 20;
const POST_MIN_BYTES = 8 * 1024;
// Longer URLs are not kept: they are rare in real traffic and each would hold a key.
const MAX_URL_LENGTH = 1024;
// POST bodies up to this size are read ahead to be looked up; larger ones go straight on.
const MAX_POST_BYTES = 16 * 1024;
// Body lengths remembered before the set starts again (a stale length costs only a read-ahead).
const MAX_POST_LENGTHS = 4096;
// A length whose read-aheads miss this many times in a row is no longer read ahead, until the
// route marks an answer of that length reusable again: one-off queries of the length of a
// popular one then go straight on, as they would without it.
const MAX_POST_MISSES = 64;
// A recorded answer larger than this is not kept.
const MAX_ANSWER_BYTES = 1024 * 1024;

interface GetEntry {
  readonly catalog: Catalog;
  readonly body: CachedBody;
  readonly options: SendOptions;
  /** Answers already negotiated for the commonest requests, by their Accept-Encoding header. */
  readonly plain: Map<string, FrontAnswer>;
}

/** An answer ready to write: its headers as a flat list of names and values, which node writes without walking an object's keys. */
interface FrontAnswer {
  readonly status: number;
  readonly headers: string[] | Record<string, string>;
  readonly payload: Buffer | undefined;
}

// Different Accept-Encoding headers kept per entry; browsers and HTTP clients send a handful.
const PLAIN_VARIANTS = 8;

/**
 * The answer to a GET of `entry`. Most requests carry no If-None-Match, no Accept beyond `*\/*`
 * and, with CORS open to every origin, nothing else the answer depends on: their answer,
 * headers included, is negotiated once per Accept-Encoding value and reused.
 */
function answerFor(entry: GetEntry, headers: IncomingHttpHeaders): FrontAnswer | null {
  const accept = headers.accept;
  const common = headers['if-none-match'] === undefined && (accept === undefined || accept === '*/*') && typeof entry.options.cors !== 'object';
  const coding = headers['accept-encoding'] ?? '';
  if (common) {
    const known = entry.plain.get(coding);
    if (known !== undefined) return known;
  }
  const answer = answerCached(headers, entry.body, entry.options);
  if (answer === null) return null;
  if (answer.payload !== undefined) answer.headers['content-length'] = String(answer.payload.length);
  if (!common || entry.plain.size >= PLAIN_VARIANTS) return answer;
  const ready: FrontAnswer = { status: answer.status, headers: flatHeaders(answer.headers), payload: answer.payload };
  entry.plain.set(coding, ready);
  return ready;
}

interface PostEntry {
  readonly catalog: Catalog;
  readonly status: number;
  /** Flat, as node writes them without walking an object's keys. */
  readonly headers: string[];
  readonly payload: Buffer;
  /** What it answers: the URL, the request body and the negotiated headers (`postKey` of them is its key). */
  readonly url: string;
  readonly body: Buffer;
  readonly negotiated: readonly string[];
}

// A POST read ahead and missed carries what it asked and its content version: its answer is
// recorded only if the route marks it reusable, so a miss costs no wrapping of the response (and
// no WeakMap entry, which the garbage collector would have to visit).
const kMissed = Symbol('front-cache missed post');
interface MissedPost extends IncomingMessage {
  [kMissed]?: PendingPost | undefined;
}
/** A POST that missed, and what its answer would be kept under. */
interface PendingPost {
  res: ServerResponse;
  catalog: Catalog;
  url: string;
  body: Buffer;
  negotiated: string[];
}

/** What the server calls when the front cache does not answer. */
export type NextHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Answers repeated requests straight from memory, in front of Fastify. */
export class FrontCache {
  readonly #current: () => Catalog;
  readonly #gets = new BoundedCache<GetEntry>(GET_BUDGET_BYTES, (entry) => entry.body.body.length);
  // Each answer counts at least POST_MIN_BYTES, which bounds the entries to about as many as the GraphQL result cache keeps.
  readonly #posts = new BoundedCache<PostEntry>(
    POST_BUDGET_BYTES,
    (entry) => Math.max(POST_MIN_BYTES, entry.payload.length + entry.body.length),
    (entry) => {
      const length = String(entry.body.length);
      if (this.#recent.get(length) === entry) this.#recent.delete(length);
    },
  );
  // The entry of each body length last answered or kept, among those #posts holds: a POST of a
  // popular query is found by comparing its bytes, without making and hashing its key.
  readonly #recent = new Map<string, PostEntry>();
  readonly #postUrls = new Set<string>();
  // The body lengths of POSTs whose answers the routes said could be kept (some may be gone):
  // a POST of another length cannot be answered from here, and goes on unread.
  // With the read-aheads of each length that missed since its last hit.
  readonly #postLengths = new Map<string, number>();
  #closing = false;
  #answered = 0;
  #missed = 0;

  /** `current` gives the catalog being served: entries of any other content version are not used. */
  constructor(current: () => Catalog) {
    this.#current = current;
  }

  /** Remembers that `url`, under `catalog`, is answered with `body` (a GET whose body depends on the URL alone). */
  remember(catalog: Catalog, method: string, url: string, body: CachedBody, options: SendOptions): void {
    if (method !== 'GET' || url.length > MAX_URL_LENGTH || this.#closing) return;
    const known = this.#gets.get(url);
    if (known !== undefined && known.catalog === catalog && known.body === body) return;
    this.#gets.set(url, { catalog, body, options, plain: new Map() });
  }

  /** Lets POSTs to `url` be read ahead and answered again (the route marks which answers may be: `markReusable`). */
  acceptPosts(url: string): void {
    this.#postUrls.add(url);
  }

  /**
   * Marks the answer to this request as the same for every request with its body and headers
   * under the current content version, so that the front cache may keep it.
   */
  markReusable(req: IncomingMessage): void {
    const pending = (req as MissedPost)[kMissed];
    if (pending !== undefined) {
      (req as MissedPost)[kMissed] = undefined;
      this.#record(pending);
    }
    // The next POST of this length is read ahead, so that its answer can be kept.
    const length = req.headers['content-length'];
    if (req.method === 'POST' && length !== undefined && readableLength(length)) {
      if (this.#postLengths.size >= MAX_POST_LENGTHS) this.#postLengths.clear();
      this.#postLengths.set(length, 0);
    }
  }

  /** Answers `req` from memory, or passes it to `next` (Fastify), which answers everything else. */
  handle(req: IncomingMessage, res: ServerResponse, next: NextHandler): void {
    if (this.#closing) next(req, res);
    else if (req.method === 'GET') {
      if (!this.#answerGet(req, res)) next(req, res);
    } else if (req.method === 'POST' && this.#postLengths.size > 0 && this.#postUrls.has(req.url ?? '')) {
      // Only while some body length is pending: otherwise nothing here could answer, and the headers stay unread.
      const headers = negotiatedHeaders(req);
      if (this.#postLengths.has(headers['content-length'] ?? '') && readsAhead(headers)) this.#readPost(req, res, headers, next);
      else next(req, res);
    } else next(req, res);
  }

  /** How many requests it has answered. */
  get answered(): number {
    return this.#answered;
  }

  /** How many POSTs it has read ahead and passed on, not found. */
  get missed(): number {
    return this.#missed;
  }

  /** From now on every request goes to Fastify, which answers 503 while the server closes. */
  close(): void {
    this.#closing = true;
  }

  #answerGet(req: IncomingMessage, res: ServerResponse): boolean {
    const entry = this.#gets.get(req.url ?? '');
    if (entry === undefined || entry.catalog !== this.#current()) return false;
    const headers = negotiatedHeaders(req);
    // A GET with a body is left to the framework, which reads and discards it the way it does for any route.
    if (headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0')) return false;
    const answer = answerFor(entry, headers);
    if (answer === null) return false;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.payload);
    this.#answered++;
    return true;
  }

  #readPost(req: IncomingMessage, res: ServerResponse, headers: IncomingHttpHeaders, next: NextHandler): void {
    const expected = Number(headers['content-length']);
    // A small body usually arrives with the headers: node has buffered it by the time the
    // current socket read is done, and it is taken whole, without switching the stream to flowing.
    queueMicrotask(() => {
      if (req.readableLength >= expected) {
        const body = req.read(expected) as Buffer | null;
        if (body !== null) {
          this.#answerPost(req, res, headers, body, next);
          return;
        }
      }
      const chunks: Buffer[] = [];
      let received = 0;
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        received += chunk.length;
        if (received < expected) return;
        req.off('data', onData);
        req.pause();
        this.#answerPost(req, res, headers, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), next);
      };
      // A client that goes away mid-body has nobody left to answer.
      req.on('data', onData);
    });
  }

  /** Answers a POST whose body has been read whole, or puts the body back and passes it on. */
  #answerPost(req: IncomingMessage, res: ServerResponse, headers: IncomingHttpHeaders, body: Buffer, next: NextHandler): void {
    const url = req.url ?? '';
    const length = headers['content-length']!;
    const negotiated = negotiatedValues(headers);
    let entry = this.#recent.get(length);
    if (entry === undefined || !answers(entry, url, body, negotiated)) {
      entry = this.#posts.get(postKey(url, negotiated, body));
      if (entry !== undefined) this.#recent.set(length, entry);
    }
    const misses = this.#postLengths.get(length);
    if (entry !== undefined && entry.catalog === this.#current() && !this.#closing) {
      if (misses !== undefined && misses !== 0) this.#postLengths.set(length, 0);
      // The body is read whole; what follows on the connection is the next request.
      res.writeHead(entry.status, entry.headers);
      res.end(entry.payload);
      this.#answered++;
      return;
    }
    if (misses !== undefined) {
      if (misses + 1 >= MAX_POST_MISSES) this.#postLengths.delete(length);
      else this.#postLengths.set(length, misses + 1);
    }
    this.#missed++;
    // Put back before anything else can read it, for Fastify to parse.
    req.unshift(body);
    (req as MissedPost)[kMissed] = { res, catalog: this.#current(), url, body, negotiated };
    next(req, res);
  }

  /**
   * Keeps what Fastify answers to `pending`, when it is a 200. Called when the route marks the
   * answer reusable, before it sends anything.
   */
  #record({ res, catalog, url, body, negotiated }: PendingPost): void {
    const posts = this.#posts;
    const recent = this.#recent;
    let status = 0;
    let headers: OutgoingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: unknown, encoding?: unknown): void => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_ANSWER_BYTES) return;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
      chunks.push(bytes);
      size += bytes.length;
    };
    const writeHead = res.writeHead;
    const write = res.write;
    const end = res.end;
    const restore = (): void => {
      res.writeHead = writeHead;
      res.write = write;
      res.end = end;
    };
    res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
      status = code;
      if (code !== 200) restore();
      else {
        const given = rest.find((arg) => arg !== null && typeof arg === 'object');
        headers = given === undefined ? undefined : { ...(given as OutgoingHttpHeaders) };
      }
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, code, ...rest);
    } as ServerResponse['writeHead'];
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      collect(chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as ServerResponse['write'];
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      collect(args[0], args[1]);
      restore();
      const ended = (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      if (status === 200 && headers !== undefined && size <= MAX_ANSWER_BYTES && !res.hasHeader('set-cookie')) {
        const payload = Buffer.concat(chunks);
        // A copy of its own: the request's buffer may be a slice of a larger one.
        const bytes = Buffer.allocUnsafeSlow(body.length);
        body.copy(bytes);
        const entry: PostEntry = { catalog, status, headers: flatHeaders({ ...headers, 'content-length': String(payload.length) }), payload, url, body: bytes, negotiated };
        posts.set(postKey(url, negotiated, bytes), entry);
        recent.set(String(body.length), entry);
      }
      return ended;
    } as ServerResponse['end'];
  }
}

// The request headers a cached answer depends on (and those that send a GET to the routes).
const NEGOTIATED = new Set(['accept', 'accept-encoding', 'if-none-match', 'origin', 'content-length', 'transfer-encoding', 'content-type', 'content-encoding', 'authorization', 'cookie']);

/**
 * The headers of `req` that a cached answer depends on, read from the raw header list: node
 * builds `req.headers` (every header, names lower-cased) on first access, which costs about as
 * much as the rest of answering. A header given twice falls back to `req.headers`, whose
 * rules for joining repeated headers apply.
 */
function negotiatedHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const raw = req.rawHeaders;
  const found: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Every header named in NEGOTIATED is 6 to 17 characters long.
    if (name.length < 6 || name.length > 17) continue;
    const lower = name.toLowerCase();
    if (!NEGOTIATED.has(lower)) continue;
    if (found[lower] !== undefined) return req.headers;
    found[lower] = raw[i + 1]!;
  }
  return found;
}

/** Headers as the flat list of names and values node writes without walking an object's keys. */
function flatHeaders(headers: OutgoingHttpHeaders): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) flat.push(name, one);
    else flat.push(name, String(value));
  }
  return flat;
}

/** Whether a Content-Length is that of a body small enough to read ahead. */
function readableLength(length: string): boolean {
  return /^[1-9]\d{0,5}$/.test(length) && Number(length) <= MAX_POST_BYTES;
}

/**
 * Whether a POST whose body length is pending (so a length `readableLength` allows) may be read
 * ahead: a JSON body, no credentials, no content coding.
 */
function readsAhead(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) return false;
  if (headers.authorization !== undefined || headers.cookie !== undefined) return false;
  const type = headers['content-type'];
  return type === 'application/json' || (type !== undefined && /^application\/json\s*(;|$)/i.test(type));
}

/** The request headers a reusable answer depends on besides its body, in a fixed order. */
function negotiatedValues(h: IncomingHttpHeaders): string[] {
  return [h['content-type'] ?? '', h.accept ?? '', h['accept-encoding'] ?? '', h.origin ?? ''];
}

/** Whether `entry` is the answer to a POST of `body` to `url` with these negotiated headers. */
function answers(entry: PostEntry, url: string, body: Buffer, negotiated: readonly string[]): boolean {
  const kept = entry.negotiated;
  return entry.url === url && kept[0] === negotiated[0] && kept[1] === negotiated[1] && kept[2] === negotiated[2] && kept[3] === negotiated[3] && entry.body.equals(body);
}

/** Everything a reusable answer depends on: the URL, the negotiated headers and the body. */
function postKey(url: string, negotiated: readonly string[], body: Buffer): string {
  return `${url}\u0000${negotiated.join('\u0000')}\u0000${body.toString('latin1')}`;
}
