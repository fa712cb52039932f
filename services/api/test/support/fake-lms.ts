import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A statement as the fake LRS stored it, with the headers it came with. */
export interface RecordedStatement {
  statement: Record<string, unknown> & { id: string; verb: { id: string }; context?: Record<string, unknown>; result?: Record<string, unknown> };
  authorization: string | undefined;
  version: string | undefined;
  /** Who sent it: the LMS itself (launched) or the AU. */
  by: 'lms' | 'au';
}

/** A request the fake LMS or LRS received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  version: string | undefined;
}

/** A launch the fake LMS prepared. */
export interface FakeLaunch {
  token: string;
  fetchUrl: string;
  registration: string;
  /** The query string to append to the AU's URL. */
  query: string;
}

/** What the LMS keeps in `LMS.LaunchData`. */
export interface LaunchOptions {
  registration: string;
  activityId: string;
  actor: Record<string, unknown>;
  launchMode: 'Normal' | 'Browse' | 'Review';
  returnURL?: string;
  /**
   * The AU's id in the course structure (its publisher id), put in the context template's
   * grouping as the cmi5 specification asks; `activityId` is then the LMS's own id for the AU.
   */
  publisherId?: string;
}

/** A small LMS and LRS for tests: fetch URL, State and Agent Profile resources, Statements. */
export interface FakeLms {
  base: string;
  endpoint: string;
  statements: RecordedStatement[];
  requests: RecordedRequest[];
  /** Prepares a launch: a token behind a one-time fetch URL, the launch data, and the LMS's `launched` statement. */
  launch(options: LaunchOptions): FakeLaunch;
  /** Resolves when a statement matching `test` has arrived (at once if one has). */
  waitForStatement(test: (s: RecordedStatement) => boolean): Promise<RecordedStatement>;
  close(): Promise<void>;
}

/** The cmi5 session id extension. */
export const SESSION_ID = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';

interface LaunchRecord {
  token: string;
  used: boolean;
  options: LaunchOptions;
  sessionId: string;
}

/** Starts the fake LMS + LRS on 127.0.0.1 and a free port. */
export async function startFakeLms(): Promise<FakeLms> {
  const statements: RecordedStatement[] = [];
  const requests: RecordedRequest[] = [];
  const launches = new Map<string, LaunchRecord>();
  const events = new EventEmitter();
  const byRegistration = (registration: string | null): LaunchRecord | undefined => [...launches.values()].reverse().find((l) => l.options.registration === registration);

  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json'): void => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const origin = req.headers.origin;
      res.setHeader('access-control-allow-origin', origin ?? '*');
      res.setHeader('access-control-allow-headers', 'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match');
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
      res.setHeader('access-control-expose-headers', 'ETag, X-Experience-API-Version, X-Experience-API-Consistent-Through');
      if (req.method === 'OPTIONS') return send(res, 204, '');
      const authorization = req.headers.authorization;
      const version = typeof req.headers['x-experience-api-version'] === 'string' ? req.headers['x-experience-api-version'] : undefined;
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization, version });

      if (url.pathname === '/return') return send(res, 200, '<!doctype html><title>Course</title><h1>Back in the course</h1>', 'text/html');
      if (url.pathname === '/elsewhere') return send(res, 200, '<!doctype html><title>Elsewhere</title><p>Another page</p>', 'text/html');
      const fetchMatch = /^\/fetch\/([\w-]+)$/.exec(url.pathname);
      if (fetchMatch && req.method === 'POST') {
        const launch = launches.get(fetchMatch[1]!);
        if (!launch) return send(res, 404, { 'error-code': '3', 'error-text': 'unknown launch' });
        if (launch.used) return send(res, 200, { 'error-code': '1', 'error-text': 'the fetch URL was used already' });
        launch.used = true;
        return send(res, 200, { 'auth-token': launch.token });
      }
      if (!url.pathname.startsWith('/xapi/')) return send(res, 404, { error: 'not found' });
      const token = authorization?.startsWith('Basic ') ? authorization.slice(6) : '';
      if (![...launches.values()].some((l) => l.used && l.token === token)) return send(res, 401, { error: 'bad credentials' });
      if (version === undefined) return send(res, 400, { error: 'X-Experience-API-Version is required' });
      const resource = url.pathname.slice('/xapi/'.length);

      if (resource === 'activities/state' && req.method === 'GET') {
        const launch = byRegistration(url.searchParams.get('registration'));
        if (!launch || url.searchParams.get('stateId') !== 'LMS.LaunchData') return send(res, 404, { error: 'no such state' });
        return send(res, 200, {
          contextTemplate: {
            contextActivities: { grouping: [{ objectType: 'Activity', id: launch.options.publisherId ?? 'https://lms.example.org/course/publisher-1' }] },
            extensions: { [SESSION_ID]: launch.sessionId },
          },
          launchMode: launch.options.launchMode,
          moveOn: 'Completed',
          ...(launch.options.returnURL ? { returnURL: launch.options.returnURL } : {}),
        });
      }
      if (resource === 'agents/profile' && req.method === 'GET') {
        if (url.searchParams.get('profileId') !== 'cmi5LearnerPreferences') return send(res, 404, { error: 'no such profile' });
        return send(res, 200, { languagePreference: 'en-US,fr-FR', audioPreference: 'on' });
      }
      if (resource === 'statements' && req.method === 'POST') {
        const body = JSON.parse(await readBody(req)) as RecordedStatement['statement'] | RecordedStatement['statement'][];
        const list = Array.isArray(body) ? body : [body];
        for (const statement of list) {
          const recorded: RecordedStatement = { statement, authorization, version, by: 'au' };
          statements.push(recorded);
          events.emit('statement', recorded);
        }
        return send(res, 200, list.map((s) => s.id));
      }
      if (resource === 'statements' && req.method === 'GET' && url.searchParams.has('statementId')) {
        const found = statements.find((s) => s.statement.id === url.searchParams.get('statementId'));
        return found ? send(res, 200, found.statement) : send(res, 404, { error: 'no such statement' });
      }
      if (resource === 'statements' && req.method === 'GET') {
        const q = url.searchParams;
        const found = statements
          .map((s) => s.statement)
          .filter((s) => !q.get('verb') || s.verb.id === q.get('verb'))
          .filter((s) => !q.get('registration') || s.context?.registration === q.get('registration'))
          .filter((s) => !q.get('activity') || (s.object as { id?: string } | undefined)?.id === q.get('activity'))
          .filter((s) => !q.get('agent') || JSON.stringify(s.actor) === JSON.stringify(JSON.parse(q.get('agent')!)));
        return send(res, 200, { statements: found.slice(0, Number(q.get('limit') ?? '0') || undefined), more: '' });
      }
      return send(res, 404, { error: 'not found' });
    })().catch((error: unknown) => send(res, 400, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoint = `${base}/xapi/`;

  return {
    base,
    endpoint,
    statements,
    requests,
    launch(options) {
      const id = randomUUID();
      const token = randomBytes(12).toString('base64');
      const record: LaunchRecord = { token, used: false, options, sessionId: randomUUID() };
      launches.set(id, record);
      statements.push({
        statement: {
          id: randomUUID(),
          actor: options.actor,
          verb: { id: 'http://adlnet.gov/expapi/verbs/launched' },
          object: { id: options.activityId, objectType: 'Activity' },
          context: { registration: options.registration, extensions: { [SESSION_ID]: record.sessionId } },
          timestamp: new Date().toISOString(),
        },
        authorization: undefined,
        version: '1.0.3',
        by: 'lms',
      });
      const fetchUrl = `${base}/fetch/${id}`;
      const query = new URLSearchParams({ endpoint, fetch: fetchUrl, actor: JSON.stringify(options.actor), registration: options.registration, activityId: options.activityId }).toString();
      return { token, fetchUrl, registration: options.registration, query };
    },
    waitForStatement(test) {
      const found = statements.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => {
        const listener = (s: RecordedStatement): void => {
          if (!test(s)) return;
          events.off('statement', listener);
          resolve(s);
        };
        events.on('statement', listener);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
