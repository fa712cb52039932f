import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, exportJWK, exportSPKI, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';

// An LTI 1.3 platform (an LMS) for tests, written from the 1EdTech specifications — LTI Core
// 1.3 (§5.1 OIDC login, §5.3 message claims), the Security Framework 1.0 (§5.1.1 third-party
// initiated login, §4.1 client credentials with a JWT client assertion), Deep Linking 2.0,
// Assignment and Grade Services 2.0 (scores) and Dynamic Registration 1.0 — and not from the
// tool's code: it imports nothing of the tool and checks what the tool sends as a platform would.

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const AGS_ENDPOINT = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const LINEITEM_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
const ROLE_LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const ROLE_INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const SCORE_MEDIA_TYPE = 'application/vnd.ims.lis.v1.score+json';

/** How the emulator spoils an id_token, to test that the tool refuses it. */
export type Misbehaviour = 'bad-signature' | 'alg-none' | 'hs256' | 'wrong-aud' | 'unknown-deployment' | 'expired' | 'wrong-nonce' | 'no-version';

/** A launch the test sets up before the tool's login redirects the browser to the platform. */
export interface LaunchSetup {
  message: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  role?: 'learner' | 'instructor';
  /** The platform user id (`sub`). Default `user-1`. */
  user?: string;
  name?: string;
  email?: string;
  /** The target link URI of the launch (the tool's launch URL or a deep link's url). */
  targetLinkUri: string;
  /** Custom parameters of the resource link (a deep-linked item's `custom`). */
  custom?: Record<string, string>;
  /** Line item id for AGS (resource links); a line item URL is given in the AGS claim. */
  lineItem?: string;
  /** Deep Linking: whether several items may come back. Default true. */
  acceptMultiple?: boolean;
  /** Deep Linking: accepted types. Default `['ltiResourceLink']`. */
  acceptTypes?: string[];
  misbehave?: Misbehaviour;
}

/** A recorded score. */
export interface RecordedScore {
  lineItem: string;
  score: { userId: string; scoreGiven: number; scoreMaximum: number; activityProgress: string; gradingProgress: string; timestamp: string };
}

/** A verified Deep Linking response. */
export interface RecordedDeepLink {
  items: Record<string, unknown>[];
  data: unknown;
}

interface EmulatorEvents {
  score: [RecordedScore];
  'score-refused': [string];
  token: [{ scope: string }];
  'token-refused': [string];
  'deep-link': [RecordedDeepLink];
  'deep-link-refused': [string];
  registered: [{ clientId: string; body: Record<string, unknown> }];
}

/** Options of the emulator. */
export interface PlatformEmulatorOptions {
  /** Address to bind: another site than the tool's 127.0.0.1. Default 127.0.0.2. */
  host?: string;
  clientId?: string;
  deploymentId?: string;
  /** Redirect URIs the tool registered (launch URLs); the auth endpoint refuses others. */
  redirectUris: string[];
  /** The tool's JWKS URL, for client assertions and Deep Linking responses (may be set later). */
  toolJwksUrl?: string;
  registrationToken?: string;
}

interface PlatformKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  spki: string;
}

async function newKey(): Promise<PlatformKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `platform-${randomBytes(6).toString('hex')}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, spki: await exportSPKI(publicKey) };
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An LTI 1.3 platform on its own address, for the tool's tests. */
export class LtiPlatformEmulator extends EventEmitter<EmulatorEvents> {
  readonly clientId: string;
  readonly deploymentId: string;
  readonly registrationToken: string;
  redirectUris: string[];
  toolJwksUrl: string | undefined;
  /** `ok` answers scores, `fail` answers 503, `down` drops the connection. */
  scoreMode: 'ok' | 'fail' | 'down' = 'ok';
  readonly scores: RecordedScore[] = [];
  readonly deepLinks: RecordedDeepLink[] = [];
  tokensIssued = 0;
  #keys: PlatformKey[] = [];
  #published: PlatformKey[] = [];
  #pending = new Map<string, LaunchSetup>();
  #deepLinkData = new Map<string, string>();
  #tokens = new Map<string, { scope: string; expiresAt: number }>();
  #assertionIds = new Set<string>();
  #server: Server;
  #origin = '';
  #toolKeys: ReturnType<typeof createRemoteJWKSet> | undefined;

  private constructor(options: PlatformEmulatorOptions) {
    super();
    this.clientId = options.clientId ?? 'learnpath-client';
    this.deploymentId = options.deploymentId ?? 'deployment-1';
    this.registrationToken = options.registrationToken ?? randomBytes(12).toString('hex');
    this.redirectUris = options.redirectUris;
    this.toolJwksUrl = options.toolJwksUrl;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
  }

  /** Registers the tool at these base URLs: launches may return to each, and the first serves the tool's JWKS. */
  registerTool(...bases: string[]): void {
    this.redirectUris = bases.map((base) => `${base}/lti/launch`);
    this.toolJwksUrl = `${bases[0]}/lti/jwks`;
  }

  /** Starts an emulator with a fresh key pair. */
  static async start(options: PlatformEmulatorOptions): Promise<LtiPlatformEmulator> {
    const emulator = new LtiPlatformEmulator(options);
    const key = await newKey();
    emulator.#keys = [key];
    emulator.#published = [key];
    emulator.#server.listen(0, options.host ?? '127.0.0.2');
    await once(emulator.#server, 'listening');
    const { address, port } = emulator.#server.address() as AddressInfo;
    emulator.#origin = `http://${address}:${port}`;
    return emulator;
  }

  /** The issuer (`iss`) of the platform's tokens. */
  get issuer(): string {
    return this.#origin;
  }
  get authUrl(): string {
    return `${this.#origin}/auth`;
  }
  get tokenUrl(): string {
    return `${this.#origin}/token`;
  }
  get jwksUrl(): string {
    return `${this.#origin}/jwks`;
  }
  get openidConfigurationUrl(): string {
    return `${this.#origin}/.well-known/openid-configuration`;
  }
  /** The line item URL of `id`. */
  lineItemUrl(id: string): string {
    return `${this.#origin}/lineitems/${id}?course=c1`;
  }

  /** The platform as the tool's configuration lists it. */
  get registration(): { issuer: string; clientId: string; deploymentIds: string[]; authLoginUrl: string; accessTokenUrl: string; jwksUrl: string } {
    return { issuer: this.issuer, clientId: this.clientId, deploymentIds: [this.deploymentId], authLoginUrl: this.authUrl, accessTokenUrl: this.tokenUrl, jwksUrl: this.jwksUrl };
  }

  /** The id of the current signing key. */
  get kid(): string {
    return this.#keys[0]!.kid;
  }

  /**
   * Sets up a launch and returns the login initiation parameters the platform would send to
   * the tool's login URL (LTI Security Framework §5.1.1.1).
   */
  prepareLaunch(setup: LaunchSetup): Record<string, string> {
    const hint = randomUUID();
    this.#pending.set(hint, setup);
    return {
      iss: this.issuer,
      login_hint: setup.user ?? 'user-1',
      target_link_uri: setup.targetLinkUri,
      lti_message_hint: hint,
      lti_deployment_id: this.deploymentId,
      client_id: this.clientId,
    };
  }

  /** Signs with a new key from now on; `keepOld` keeps publishing the previous one. */
  async rotateKey(keepOld = true): Promise<string> {
    const key = await newKey();
    this.#keys = [key, ...this.#keys];
    this.#published = keepOld ? [key, ...this.#published] : [key];
    return key.kid;
  }

  /** Resolves with the first event `name` whose value passes `test`. */
  waitFor<K extends keyof EmulatorEvents>(name: K, test: (...args: EmulatorEvents[K]) => boolean = () => true): Promise<EmulatorEvents[K]> {
    return new Promise((resolve) => {
      const listener = (...args: EmulatorEvents[K]): void => {
        if (!test(...args)) return;
        this.off(name, listener as never);
        resolve(args);
      };
      this.on(name, listener as never);
    });
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#origin);
    const body = await readBody(req);
    if (url.pathname === '/jwks' && req.method === 'GET') return json(res, 200, { keys: this.#published.map((k) => k.publicJwk) });
    if (url.pathname === '/auth') return this.#authorize(req.method === 'POST' ? new URLSearchParams(body) : url.searchParams, res);
    if (url.pathname === '/token' && req.method === 'POST') return this.#token(new URLSearchParams(body), res);
    const scoresMatch = /^\/lineitems\/([^/]+)\/scores$/.exec(url.pathname);
    if (scoresMatch && req.method === 'POST') return this.#score(req, res, `${this.#origin}/lineitems/${scoresMatch[1]}${url.search}`, body);
    if (url.pathname === '/deep-link-return' && req.method === 'POST') return this.#deepLinkReturn(new URLSearchParams(body), res);
    if (url.pathname === '/.well-known/openid-configuration' && req.method === 'GET') return this.#openidConfiguration(res);
    if (url.pathname === '/register' && req.method === 'POST') return this.#register(req, body, res);
    if (url.pathname === '/course' && req.method === 'GET') return this.#course(url.searchParams.get('login') ?? '', res);
    if (url.pathname === '/storage' && req.method === 'GET') return this.#storageFrame(res);
    return text(res, 404, 'not found');
  }

  // A course page as an LMS draws it: the platform's storage frame beside the tool's frame, which opens `login`.
  #course(login: string, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    // The tool's frame is added once the storage frame has loaded, as an LMS page has it ready.
    res.end(`<!doctype html><html><body><iframe name="lti-storage" src="/storage"></iframe><script>
document.querySelector('iframe[name="lti-storage"]').addEventListener('load', () => {
  const tool = Object.assign(document.createElement('iframe'), { id: 'tool', name: 'tool', width: 1000, height: 700, src: ${JSON.stringify(login).replace(/</g, '\\u003c')} });
  document.body.append(tool);
});
</script></body></html>`);
  }

  // The platform storage of LTI Client Side postMessages: put_data and get_data, kept per tool
  // origin, answered to the asking frame only; every message is logged in window.storageLog.
  #storageFrame(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><body><script>
window.storageLog = [];
const kept = new Map();
window.addEventListener('message', (event) => {
  const data = event.data || {};
  window.storageLog.push({ origin: event.origin, subject: data.subject, key: data.key });
  const answer = (fields) => event.source.postMessage({ subject: data.subject + '.response', message_id: data.message_id, key: data.key, ...fields }, event.origin);
  if (data.subject === 'lti.put_data') { kept.set(event.origin + ' ' + data.key, data.value); answer({ value: data.value }); }
  else if (data.subject === 'lti.get_data') {
    const value = kept.get(event.origin + ' ' + data.key);
    answer(value === undefined ? { error: { code: 'bad_request', message: 'no such key' } } : { value });
  }
});
</script></body></html>`);
  }

  // OIDC authentication request → id_token by form_post (Security Framework §5.1.1.2–3).
  async #authorize(params: URLSearchParams, res: ServerResponse): Promise<void> {
    const expect: Record<string, string> = { scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: this.clientId };
    for (const [name, value] of Object.entries(expect)) if (params.get(name) !== value) return text(res, 400, `invalid_request: ${name} must be ${value}`);
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!this.redirectUris.includes(redirectUri)) return text(res, 400, 'invalid_request: redirect_uri is not registered');
    const nonce = params.get('nonce');
    const state = params.get('state');
    if (!nonce || !state) return text(res, 400, 'invalid_request: nonce and state are required');
    const setup = this.#pending.get(params.get('lti_message_hint') ?? '');
    if (!setup || params.get('login_hint') !== (setup.user ?? 'user-1')) return text(res, 400, 'login_required: unknown login_hint or lti_message_hint');
    const idToken = await this.#idToken(setup, setup.misbehave === 'wrong-nonce' ? 'not-the-nonce' : nonce);
    const html = `<!doctype html><html><body><form method="post" action="${escape(redirectUri)}">
<input type="hidden" name="id_token" value="${escape(idToken)}">
<input type="hidden" name="state" value="${escape(state)}">
</form><script>document.forms[0].submit()</script></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  }

  async #idToken(setup: LaunchSetup, nonce: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const expired = setup.misbehave === 'expired';
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      aud: setup.misbehave === 'wrong-aud' ? 'another-tool' : this.clientId,
      azp: setup.misbehave === 'wrong-aud' ? 'another-tool' : this.clientId,
      sub: setup.user ?? 'user-1',
      iat: expired ? now - 7200 : now,
      exp: expired ? now - 3600 : now + 300,
      nonce,
      ...(setup.name ? { name: setup.name } : {}),
      ...(setup.email ? { email: setup.email } : {}),
      [`${LTI}message_type`]: setup.message,
      [`${LTI}deployment_id`]: setup.misbehave === 'unknown-deployment' ? 'deployment-unknown' : this.deploymentId,
      [`${LTI}target_link_uri`]: setup.targetLinkUri,
      [`${LTI}roles`]: [setup.role === 'instructor' ? ROLE_INSTRUCTOR : ROLE_LEARNER],
      [`${LTI}context`]: { id: 'course-1', title: 'Data Engineering 101' },
    };
    if (setup.misbehave !== 'no-version') claims[`${LTI}version`] = '1.3.0';
    if (setup.message === 'LtiResourceLinkRequest') {
      claims[`${LTI}resource_link`] = { id: `link-${setup.lineItem ?? 'none'}`, title: 'A learning path' };
      if (setup.custom) claims[`${LTI}custom`] = setup.custom;
      if (setup.lineItem) claims[AGS_ENDPOINT] = { scope: [SCORE_SCOPE, LINEITEM_SCOPE], lineitem: this.lineItemUrl(setup.lineItem) };
    } else {
      const data = `dl-${randomBytes(6).toString('hex')}`;
      this.#deepLinkData.set(data, nonce);
      claims[`${DL}deep_linking_settings`] = {
        deep_link_return_url: `${this.#origin}/deep-link-return`,
        accept_types: setup.acceptTypes ?? ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: setup.acceptMultiple ?? true,
        data,
      };
    }
    const key = this.#keys[0]!;
    if (setup.misbehave === 'alg-none') return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
    // The classic confusion attack: HMAC keyed with the platform's public key.
    if (setup.misbehave === 'hs256') return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new TextEncoder().encode(key.spki));
    const signer = setup.misbehave === 'bad-signature' ? (await newKey()).privateKey : key.privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(signer);
  }

  // Client credentials grant with a JWT client assertion (Security Framework §4.1, RFC 7523).
  async #token(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const refuse = (why: string): void => {
      this.emit('token-refused', why);
      json(res, 400, { error: 'invalid_client', error_description: why });
    };
    if (form.get('grant_type') !== 'client_credentials') return refuse('grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse('client_assertion_type must be jwt-bearer');
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').includes(SCORE_SCOPE)) return refuse('scope must include the score scope');
    try {
      const { payload } = await jwtVerify(form.get('client_assertion') ?? '', this.#toolKeySet(), { algorithms: ['RS256'], issuer: this.clientId, subject: this.clientId, audience: this.tokenUrl, requiredClaims: ['exp', 'iat', 'jti'] });
      if (this.#assertionIds.has(payload.jti!)) return refuse('client assertion jti reused');
      this.#assertionIds.add(payload.jti!);
    } catch (error) {
      return refuse(`client assertion: ${(error as Error).message}`);
    }
    const token = randomBytes(16).toString('hex');
    this.#tokens.set(token, { scope, expiresAt: Date.now() + 3600_000 });
    this.tokensIssued++;
    this.emit('token', { scope });
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope });
  }

  // AGS 2.0 score publish service.
  async #score(req: IncomingMessage, res: ServerResponse, lineItem: string, body: string): Promise<void> {
    if (this.scoreMode === 'down') {
      this.emit('score-refused', 'down');
      req.socket.destroy();
      return;
    }
    if (this.scoreMode === 'fail') {
      this.emit('score-refused', 'fail');
      return text(res, 503, 'temporarily unavailable');
    }
    const token = this.#tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!token || token.expiresAt < Date.now() || !token.scope.split(' ').includes(SCORE_SCOPE)) {
      this.emit('score-refused', 'unauthorized');
      return text(res, 401, 'invalid token');
    }
    if (req.headers['content-type'] !== SCORE_MEDIA_TYPE) {
      this.emit('score-refused', 'content-type');
      return text(res, 415, `content type must be ${SCORE_MEDIA_TYPE}`);
    }
    const score = JSON.parse(body) as RecordedScore['score'];
    const valid =
      typeof score.userId === 'string' &&
      typeof score.scoreGiven === 'number' &&
      typeof score.scoreMaximum === 'number' &&
      ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'].includes(score.activityProgress) &&
      ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'].includes(score.gradingProgress) &&
      !Number.isNaN(Date.parse(score.timestamp));
    if (!valid) {
      this.emit('score-refused', 'invalid score');
      return text(res, 400, 'invalid score');
    }
    const recorded = { lineItem, score };
    this.scores.push(recorded);
    this.emit('score', recorded);
    res.writeHead(204).end();
  }

  // Deep Linking 2.0 §4.2: the response JWT, signed by the tool.
  async #deepLinkReturn(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const refuse = (why: string): void => {
      this.emit('deep-link-refused', why);
      text(res, 400, why);
    };
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(form.get('JWT') ?? '', this.#toolKeySet(), { algorithms: ['RS256'], issuer: this.clientId, audience: this.issuer, requiredClaims: ['exp', 'iat', 'nonce'] }));
    } catch (error) {
      return refuse(`response JWT: ${(error as Error).message}`);
    }
    if (payload[`${LTI}message_type`] !== 'LtiDeepLinkingResponse') return refuse('message_type must be LtiDeepLinkingResponse');
    if (payload[`${LTI}version`] !== '1.3.0') return refuse('version must be 1.3.0');
    if (payload[`${LTI}deployment_id`] !== this.deploymentId) return refuse('deployment_id does not match');
    const data = payload[`${DL}data`];
    if (typeof data !== 'string' || !this.#deepLinkData.has(data)) return refuse('data is not echoed');
    const items = payload[`${DL}content_items`];
    if (!Array.isArray(items)) return refuse('content_items must be an array');
    const recorded = { items: items as Record<string, unknown>[], data };
    this.deepLinks.push(recorded);
    this.emit('deep-link', recorded);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><p>Added ${items.length} item(s).</p>`);
  }

  // Dynamic Registration 1.0 §3.4 and §3.5.
  #openidConfiguration(res: ServerResponse): void {
    json(res, 200, {
      issuer: this.issuer,
      authorization_endpoint: this.authUrl,
      token_endpoint: this.tokenUrl,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      jwks_uri: this.jwksUrl,
      registration_endpoint: `${this.#origin}/register`,
      scopes_supported: ['openid', SCORE_SCOPE, LINEITEM_SCOPE],
      response_types_supported: ['id_token'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['iss', 'sub', 'name', 'email'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'learnpath-emulator',
        version: '1.0',
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
      },
    });
  }

  #register(req: IncomingMessage, body: string, res: ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${this.registrationToken}`) return json(res, 401, { error: 'invalid registration token' });
    const config = JSON.parse(body) as Record<string, unknown>;
    const tool = config['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<string, unknown> | undefined;
    const problems: string[] = [];
    if (config.application_type !== 'web') problems.push('application_type');
    if (!Array.isArray(config.grant_types) || !config.grant_types.includes('implicit') || !config.grant_types.includes('client_credentials')) problems.push('grant_types');
    if (JSON.stringify(config.response_types) !== '["id_token"]') problems.push('response_types');
    if (typeof config.initiate_login_uri !== 'string' || !Array.isArray(config.redirect_uris) || config.redirect_uris.length === 0) problems.push('uris');
    if (typeof config.jwks_uri !== 'string' || config.token_endpoint_auth_method !== 'private_key_jwt') problems.push('jwks');
    if (!tool || typeof tool.domain !== 'string' || !Array.isArray(tool.messages)) problems.push('lti-tool-configuration');
    if (problems.length > 0) return json(res, 400, { error: 'invalid_client_metadata', error_description: problems.join(', ') });
    const clientId = `registered-${randomBytes(4).toString('hex')}`;
    this.emit('registered', { clientId, body: config });
    json(res, 200, { ...config, client_id: clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { ...tool, deployment_id: 'deployment-registered' } });
  }

  #toolKeySet(): ReturnType<typeof createRemoteJWKSet> {
    if (!this.toolJwksUrl) throw new Error('the emulator does not know the tool JWKS URL');
    // No cooldown: a test rotates the tool key and expects the next request to refetch.
    this.#toolKeys ??= createRemoteJWKSet(new URL(this.toolJwksUrl), { cooldownDuration: 0 });
    return this.#toolKeys;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

/** Reads the fields and action of an auto-submitting form page (the platform's or the tool's). */
export function readAutoPostForm(html: string): { action: string; fields: Record<string, string> } {
  const unescape = (s: string): string => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error('no form in the page');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(match[1]!)] = unescape(match[2]!);
  return { action: unescape(action), fields };
}
