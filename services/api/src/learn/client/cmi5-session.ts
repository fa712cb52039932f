import xapiModule from '@xapi/xapi';
import { webStorage } from './web-storage.js';
import type { Agent, Context, Result, Statement, Verb } from '@xapi/xapi';
import { createUuid, keepaliveAdapter, LrsError } from './xapi-fetch.js';

/** What the LMS puts in the launch URL. */
export interface LaunchParameters {
  endpoint: string;
  fetch: string;
  actor: Agent;
  registration: string;
  activityId: string;
}

/** The `LMS.LaunchData` state document. */
export interface LaunchData {
  contextTemplate?: Context;
  launchMode?: 'Normal' | 'Browse' | 'Review';
  returnURL?: string;
  moveOn?: string;
  masteryScore?: number;
  launchParameters?: string;
}

/** What the AU keeps across reloads of the same launch (the fetch URL may be used only once). */
interface StoredSession {
  token: string;
  initializedAt: string | null;
  terminated: boolean;
}

// The package's types describe a CommonJS module; its ESM build's class carries itself as `default` too.
const XAPI = xapiModule.default;
type XapiClient = InstanceType<typeof XAPI>;

const VERB = (name: string): Verb => ({ id: `http://adlnet.gov/expapi/verbs/${name}`, display: { 'en-US': name } });
/** The cmi5 verbs an AU sends. */
export const CMI5_VERBS = { initialized: VERB('initialized'), completed: VERB('completed'), terminated: VERB('terminated') } as const;
const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';

/** Reads the launch parameters from a query string, or null when any is missing. */
export function readLaunchParameters(search: string): LaunchParameters | null {
  const query = new URLSearchParams(search);
  const endpoint = query.get('endpoint');
  const fetchUrl = query.get('fetch');
  const actor = query.get('actor');
  const registration = query.get('registration');
  const activityId = query.get('activityId');
  if (!endpoint || !fetchUrl || !actor || !registration || !activityId) return null;
  try {
    return { endpoint, fetch: fetchUrl, actor: JSON.parse(actor) as Agent, registration, activityId };
  } catch {
    return null;
  }
}

/** A return URL the page may navigate to: absolute http(s) only. */
export function safeReturnUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * One launch of the assignable unit: the token is fetched once, the launch data and learner
 * preferences read, `initialized` sent; `complete` sends `completed` once per registration in
 * Normal mode; `terminate` sends `terminated` once.
 */
export class Cmi5Session {
  readonly launchMode: 'Normal' | 'Browse' | 'Review';
  readonly returnUrl: string | null;
  /** Whether this registration has a `completed` statement already (from this or an earlier launch). */
  completed: boolean;
  /** The id of that `completed` statement, when the LRS gave it or this launch sent it. */
  completedStatementId: string | null;
  /** The learner's preferences (`cmi5LearnerPreferences`), or null when the LMS keeps none. */
  readonly preferences: Record<string, unknown> | null;
  readonly #xapi: XapiClient;
  readonly #params: LaunchParameters;
  readonly #launchData: LaunchData;
  readonly #stored: StoredSession;
  readonly #storageKey: string;
  readonly #storage: Storage;

  private constructor(xapi: XapiClient, params: LaunchParameters, launchData: LaunchData, preferences: Record<string, unknown> | null, stored: StoredSession, storage: Storage, storageKey: string, completed: string | null) {
    this.#storage = storage;
    this.#xapi = xapi;
    this.#params = params;
    this.#launchData = launchData;
    this.#stored = stored;
    this.#storageKey = storageKey;
    this.preferences = preferences;
    this.completed = completed !== null;
    this.completedStatementId = completed;
    this.launchMode = launchData.launchMode ?? 'Normal';
    this.returnUrl = safeReturnUrl(launchData.returnURL);
  }

  /** Whether the session was ended (here or before a reload). */
  get terminated(): boolean {
    return this.#stored.terminated;
  }

  /** Runs the launch sequence up to `initialized`. */
  static async start(params: LaunchParameters, storage: Storage = webStorage('session')): Promise<Cmi5Session> {
    const storageKey = `learnpath:cmi5:${params.fetch}`;
    let stored = readStored(storage, storageKey);
    if (stored === null) {
      const response = await fetch(params.fetch, { method: 'POST', credentials: 'omit', mode: 'cors', cache: 'no-store' });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      const token = body['auth-token'];
      if (!response.ok || typeof token !== 'string') {
        throw new Error(`The LMS gave no auth token${typeof body['error-text'] === 'string' ? `: ${body['error-text']}` : ''}`);
      }
      stored = { token, initializedAt: null, terminated: false };
      writeStored(storage, storageKey, stored);
    }
    const xapi = new XAPI({ endpoint: params.endpoint, auth: `Basic ${stored.token}`, version: '1.0.3', adapter: keepaliveAdapter });
    const launchData = (await xapi.getState({ agent: params.actor, activityId: params.activityId, stateId: 'LMS.LaunchData', registration: params.registration })).data as unknown as LaunchData;
    let preferences: Record<string, unknown> | null = null;
    try {
      preferences = (await xapi.getAgentProfile({ agent: params.actor, profileId: 'cmi5LearnerPreferences' })).data as unknown as Record<string, unknown>;
    } catch (error) {
      if (!(error instanceof LrsError && error.status === 404)) throw error;
    }
    const previous = await xapi.getStatements({ agent: params.actor, verb: CMI5_VERBS.completed.id, activity: params.activityId, registration: params.registration, limit: 1 });
    const first = (previous.data.statements ?? [])[0];
    const completed = first === undefined ? null : (first.id ?? '');
    const session = new Cmi5Session(xapi, params, launchData, preferences, stored, storage, storageKey, completed);
    if (!stored.terminated && stored.initializedAt === null) {
      const at = new Date();
      await session.#send(CMI5_VERBS.initialized, [CMI5_CATEGORY]);
      stored.initializedAt = at.toISOString();
      writeStored(storage, storageKey, stored);
    }
    return session;
  }

  /** Sends `completed` unless this registration has it or the launch mode forbids it; true when it was sent. */
  async complete(): Promise<boolean> {
    if (this.completed || this.launchMode !== 'Normal' || this.#stored.terminated) return false;
    this.completedStatementId = await this.#send(CMI5_VERBS.completed, [CMI5_CATEGORY, MOVEON_CATEGORY], { completion: true, duration: this.#duration() });
    this.completed = true;
    return true;
  }

  /**
   * Reports this registration's completion to the service at `url`, which confirms it with the
   * LRS (hence the token) and saves it as the learner's progress; resolves to whether it did.
   */
  async reportCompletion(url: string, resource: { slug: string; resourceId: string }): Promise<boolean> {
    if (!this.completedStatementId) return false;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      body: JSON.stringify({
        ...resource,
        registration: this.#params.registration,
        statementId: this.completedStatementId,
        endpoint: this.#params.endpoint,
        authToken: this.#stored.token,
        actor: this.#params.actor,
      }),
    });
    return response.ok;
  }

  /** Sends `terminated` once; later calls do nothing. */
  async terminate(): Promise<void> {
    if (this.#stored.terminated) return;
    this.#stored.terminated = true;
    writeStored(this.#storage, this.#storageKey, this.#stored);
    await this.#send(CMI5_VERBS.terminated, [CMI5_CATEGORY], { duration: this.#duration() });
  }

  #duration(): string {
    const started = this.#stored.initializedAt === null ? new Date() : new Date(this.#stored.initializedAt);
    return XAPI.calculateISO8601Duration(started, new Date());
  }

  async #send(verb: Verb, categories: string[], result?: Result): Promise<string> {
    const template = structuredClone(this.#launchData.contextTemplate ?? {}) as Context;
    const existing = template.contextActivities?.category ?? [];
    const category = [...existing];
    for (const id of categories) if (!category.some((c) => c.id === id)) category.push({ id, objectType: 'Activity' });
    const context: Context = { ...template, registration: this.#params.registration, contextActivities: { ...template.contextActivities, category } };
    const statement: Statement = {
      id: createUuid(),
      timestamp: new Date().toISOString(),
      actor: this.#params.actor,
      verb,
      object: { objectType: 'Activity', id: this.#params.activityId },
      context,
      ...(result ? { result } : {}),
    };
    await this.#xapi.sendStatement({ statement });
    return statement.id!;
  }
}

function readStored(storage: Storage, key: string): StoredSession | null {
  try {
    const value = JSON.parse(storage.getItem(key) ?? 'null') as Partial<StoredSession> | null;
    if (value && typeof value.token === 'string') return { token: value.token, initializedAt: value.initializedAt ?? null, terminated: value.terminated === true };
  } catch {
    // Unreadable: start over.
  }
  return null;
}

function writeStored(storage: Storage, key: string, value: StoredSession): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage forbidden: a reload will need a new launch from the LMS.
  }
}
