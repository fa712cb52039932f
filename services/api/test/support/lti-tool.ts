import type { App } from '../../src/app.js';
import { MemoryKeyStore, MemoryNonceStore, PlatformKeySets, StaticPlatformRegistry, ToolKeySet, type LtiPlatform } from '../../src/lti/index.js';
import { listenApp } from './listening-app.js';
import { LtiPlatformEmulator, readAutoPostForm, type LaunchSetup } from './lti-platform.js';

/** Nonces kept in memory, with a record of the ones used (to see that a refused launch stored nothing). */
export class RecordingNonceStore extends MemoryNonceStore {
  readonly used: string[] = [];
  override async useNonce(nonce: string, expiresAt: Date): Promise<boolean> {
    const fresh = await super.useNonce(nonce, expiresAt);
    if (fresh) this.used.push(nonce);
    return fresh;
  }
}

/** The tool (on 127.0.0.1) and a platform emulator (on 127.0.0.2) that knows it. */
export interface LtiHarness {
  app: App;
  platform: LtiPlatformEmulator;
  keys: ToolKeySet;
  keyStore: MemoryKeyStore;
  nonces: RecordingNonceStore;
  /** The tool's base URL. */
  base: string;
  /** The Host header that makes the tool see itself at `base`. */
  host: string;
  registration: LtiPlatform;
  close(): Promise<void>;
}

/** Starts the tool listening on 127.0.0.1 and an emulator registered with it. */
export async function startLtiHarness(): Promise<LtiHarness> {
  const platform = await LtiPlatformEmulator.start({ redirectUris: [] });
  const keyStore = new MemoryKeyStore();
  const keys = await ToolKeySet.load({ store: keyStore });
  const nonces = new RecordingNonceStore();
  const registration = platform.registration;
  const { app, base, host } = await listenApp({
    lti: { registry: new StaticPlatformRegistry([registration]), keys, nonces, platformKeys: new PlatformKeySets({ refreshCooldownMs: 0 }) },
  });
  platform.registerTool(base);
  return {
    app,
    platform,
    keys,
    keyStore,
    nonces,
    base,
    host,
    registration,
    async close() {
      await platform.close();
      await app.close();
    },
  };
}

const FORM = 'application/x-www-form-urlencoded';

/** One browser's way through login and the platform's auth endpoint, up to the form it would post to the tool. */
export async function loginAt(h: LtiHarness, setup: LaunchSetup, overrides: Record<string, string> = {}) {
  const params = { ...h.platform.prepareLaunch(setup), ...overrides };
  const login = await h.app.inject({ method: 'POST', url: '/lti/login', headers: { host: h.host, 'content-type': FORM }, payload: new URLSearchParams(params).toString() });
  if (login.statusCode !== 302) return { login, form: undefined, cookie: undefined };
  const setCookie = String(login.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const auth = await fetch(String(login.headers.location));
  if (auth.status !== 200) throw new Error(`the platform refused the authentication request: ${auth.status} ${await auth.text()}`);
  return { login, form: readAutoPostForm(await auth.text()), cookie };
}

/** Posts a launch form to the tool as the browser would. */
export function postLaunch(h: LtiHarness, fields: Record<string, string>, cookie: string | undefined) {
  return h.app.inject({
    method: 'POST',
    url: '/lti/launch',
    headers: { host: h.host, 'content-type': FORM, accept: 'application/json', ...(cookie ? { cookie } : {}) },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** A launch from login to the tool's answer. */
export async function launch(h: LtiHarness, setup: LaunchSetup) {
  const { form, cookie } = await loginAt(h, setup);
  if (!form) throw new Error('login refused');
  return { response: await postLaunch(h, form.fields, cookie), form, cookie };
}
