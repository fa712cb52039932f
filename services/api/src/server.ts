import { ConfigError, readServerConfig, type ServerConfig } from './config.js';
import type { ContentWatcher } from './catalog/watch.js';
import type { Store } from '@learnpath/store';
import type { DatabaseLtiSetup } from './lti/setup.js';
import { holdTickShape } from './http/shapes.js';

// The service process: loads the content, listens, reloads on change with --watch and closes
// gracefully on SIGTERM/SIGINT. Everything else is in buildApp.

// Before anything else runs: keeps `process.nextTick` fast for the life of the process.
holdTickShape();

let config: ServerConfig;
try {
  config = readServerConfig(process.env, process.argv.slice(2));
} catch (error) {
  const lines = error instanceof ConfigError ? error.lines : [(error as Error).message];
  for (const line of lines) process.stderr.write(`learnpath api: ${line}\n`);
  process.exit(2);
}

// The rest is loaded once the settings are known to be good, so that a bad one fails fast.
const [{ countDiagnostics }, { formatDiagnostic }, { buildApp }, { CatalogStore }, { describeSource, loadContent }, { watchContent }, { createLoggerOptions }, { describeStartLinks, LEARN_PATH }, { listeningBaseUrl }] =
  await Promise.all([
    import('@learnpath/content'),
    import('@learnpath/schema'),
    import('./app.js'),
    import('./catalog/store.js'),
    import('./catalog/load.js'),
    import('./catalog/watch.js'),
    import('./plugins/logger-options.js'),
    import('./rest/service-links.js'),
    import('./http/base-url.js'),
  ]);
const [{ openStore }, { createDatabaseLtiOptions }] = await Promise.all([import('@learnpath/store'), import('./lti/setup.js')]);

const initial = await loadContent(config.source);
if (initial.catalog === null) {
  // Invalid content never starts a service: the author sees every diagnostic, compiler-style.
  for (const d of initial.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const counts = countDiagnostics(initial.diagnostics);
  process.stderr.write(`learnpath api: not starting: ${describeSource(config.source)} has ${counts.errors} error(s) and ${counts.warnings} warning(s)\n`);
  process.exit(1);
}

// The learner database opens while content is already served (a fresh PGlite folder takes
// seconds to create); learner routes answer 503 until it is open. A second process on the same
// DATA_DIR, or a PostgreSQL server that cannot be reached at start-up, stops the service.
let learnerStore: Store | undefined;
const opening = openStore(config.storeOptions).then((opened) => (learnerStore = opened));
opening.catch((error: unknown) => {
  process.stderr.write(`learnpath api: stopping: the learner database cannot be opened: ${(error as Error).message}\n`);
  process.exit(1);
});

const store = new CatalogStore(initial.catalog, initial.diagnostics);
// The LTI tool keeps nonces, keys, registrations, launches and the grade outbox in the learner
// store, so that replicas agree and grades survive restarts: with LTI on, the service waits for it.
let lti: DatabaseLtiSetup | undefined;
if (config.lti) {
  try {
    lti = await createDatabaseLtiOptions(config.lti, { store: await opening, paths: () => store.catalog.paths.values(), ...(config.publicBaseUrl ? { baseUrl: config.publicBaseUrl } : {}) });
  } catch (error) {
    process.stderr.write(`learnpath api: ${(error as Error).message}\n`);
    await learnerStore?.close();
    process.exit(2);
  }
}
const app = await buildApp({
  store,
  learnerStore: opening,
  apiKeys: config.apiKeys,
  // A person at a terminal reads lines; a log collector reads JSON.
  logger: createLoggerOptions({ level: config.logLevel, pretty: process.stdout.isTTY === true }),
  logRequests: config.logRequests,
  cacheControl: config.cacheControl,
  corsOrigins: config.corsOrigins,
  rateLimit: config.rateLimit,
  timeouts: config.timeouts,
  ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
  trustProxy: config.trustProxy,
  // The LTI tool keeps its state in the learner store opened above.
  ...(lti ? { lti: lti.options } : {}),
  ...(config.cmi5LrsOrigins.length > 0 ? { cmi5: { lrsOrigins: config.cmi5LrsOrigins } } : {}),
});
if (lti && !lti.keysEncrypted) app.log.warn('LTI_KEY_SECRET is not set: generated LTI tool keys are stored unencrypted in the database');
for (const d of initial.diagnostics) app.log.warn(formatDiagnostic(d));

let watcher: ContentWatcher | undefined;
let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info(`${signal} received: finishing in-flight requests, then exiting`);
  const force = setTimeout(() => {
    app.log.error(`requests still running after ${config.shutdownTimeoutMs} ms; exiting anyway`);
    process.exit(1);
  }, config.shutdownTimeoutMs);
  force.unref();
  // Connections that were busy when closing began become idle once their response is sent;
  // close them as they do, or each would hold the exit back until its keep-alive timeout.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  sweep.unref();
  try {
    await watcher?.close();
    await app.close();
    await lti?.deliverer.stop();
    await learnerStore?.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'error while closing');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

const catalog = initial.catalog;
await app.listen({
  host: config.host,
  port: config.port,
  listenTextResolver: (address) =>
    `Learnpath API listening at ${address} (${catalog.paths.size} path(s), content ${catalog.version}${config.watch ? ', watching for changes' : ''}): ` +
    describeStartLinks(address, { learn: app.hasRoute({ method: 'GET', url: LEARN_PATH }) }),
});
if (config.production && config.publicBaseUrl === undefined) {
  app.log.warn(
    `PUBLIC_BASE_URL is not set: exports link to ${listeningBaseUrl(app.server)}, the address this process listens at, which learners and LMSs elsewhere cannot reach; set it to the service's public URL`,
  );
}

// Scores are delivered by this process from the database outbox (any replica may deliver any score).
lti?.deliverer.on('problem', (error) => app.log.warn({ err: error }, 'LTI grade outbox unavailable; retrying'));
lti?.deliverer.on('abandoned', (entry, error) => app.log.warn({ lineItem: entry.lineItem, reason: error.message }, 'LTI score refused by the platform; set aside'));
lti?.deliverer.start();

if (config.watch) {
  const target = config.source.kind === 'dir' ? config.source.dir : config.source.file;
  watcher = watchContent({ store, target, load: () => loadContent(config.source), logger: app.log });
  await watcher.ready;
  app.log.info(`watching ${target} for changes`);
}
