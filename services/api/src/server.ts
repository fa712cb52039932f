import { countDiagnostics } from '@learnpath/content';
import { formatDiagnostic } from '@learnpath/schema';
import { openStore, type Store } from '@learnpath/store';
import { buildApp } from './app.js';
import { CatalogStore } from './catalog/store.js';
import { readServerConfig, type ServerConfig } from './config.js';
import { describeSource, loadContent } from './catalog/load.js';
import { watchContent, type ContentWatcher } from './catalog/watch.js';

// The service process: loads the content, listens, reloads on change with --watch and closes
// gracefully on SIGTERM/SIGINT. Everything else is in buildApp.

let config: ServerConfig;
try {
  config = readServerConfig(process.env, process.argv.slice(2));
} catch (error) {
  process.stderr.write(`learnpath api: ${(error as Error).message}\n`);
  process.exit(2);
}

const initial = await loadContent(config.source);
if (initial.catalog === null) {
  // Invalid content never starts a service: the author sees every diagnostic, compiler-style.
  for (const d of initial.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const counts = countDiagnostics(initial.diagnostics);
  process.stderr.write(`learnpath api: not starting: ${describeSource(config.source)} has ${counts.errors} error(s) and ${counts.warnings} warning(s)\n`);
  process.exit(1);
}

// The learner database opens before the service listens: creating a fresh PGlite folder keeps
// the event loop busy for seconds. A second process on the same DATA_DIR, or a PostgreSQL
// server that cannot be reached at start-up, stops the service with the reason.
let learnerStore: Store;
try {
  learnerStore = await openStore(config.storeOptions);
} catch (error) {
  process.stderr.write(`learnpath api: not starting: the learner database cannot be opened: ${(error as Error).message}\n`);
  process.exit(1);
}

const store = new CatalogStore(initial.catalog);
const app = await buildApp({
  store,
  learnerStore,
  apiKeys: config.apiKeys,
  logger: { level: config.logLevel },
  logRequests: config.logRequests,
  cacheControl: config.cacheControl,
  corsOrigins: config.corsOrigins,
  rateLimit: config.rateLimit,
  timeouts: config.timeouts,
  ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
  trustProxy: config.trustProxy,
});
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
    await learnerStore.close();
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
    `Learnpath API listening at ${address} (${catalog.paths.size} path(s), content ${catalog.version}${config.watch ? ', watching for changes' : ''})`,
});

if (config.watch) {
  const target = config.source.kind === 'dir' ? config.source.dir : config.source.file;
  watcher = watchContent({ store, target, load: () => loadContent(config.source), logger: app.log });
  await watcher.ready;
  app.log.info(`watching ${target} for changes`);
}
