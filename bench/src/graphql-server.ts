// One server of the GraphQL benchmark, in its own process so load generation does not share
// its event loop: `learnpath` (buildApp: REST and GraphQL), `apollo` (Apollo Server 5
// over the same schema, resolvers and catalog) or `mercurius` (mercurius on a bare Fastify over
// the same, a reference point for the service's own per-request work). Prints `LISTENING <url>`, stops on SIGTERM.
// Usage: graphql-server.ts learnpath|apollo|mercurius [content folder] (default: the repository's content/).
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createCatalog, loadCatalog, type Catalog } from '@learnpath/content';
import { compilePath } from '@learnpath/schema';
import { attachResolvers, buildApp, buildGraphqlSchema, CatalogStore, createResolvers, GraphqlLimitsSchema } from '@learnpath/api';
import { seedDocument } from '@learnpath/schema/examples';

/** The catalog both servers serve: the content folder, or the seed alone when it does not load yet. */
async function benchCatalog(dir: string | undefined): Promise<Catalog> {
  const load = await loadCatalog(dir ?? fileURLToPath(new URL('../../content', import.meta.url)));
  if (dir !== undefined && load.catalog === null) throw new Error(`${dir} does not load: ${JSON.stringify(load.diagnostics[0])}`);
  return load.catalog ?? createCatalog([compilePath(seedDocument)]);
}

const which = process.argv[2];
const catalog = await benchCatalog(process.argv[3]);
let stop: () => Promise<void>;

if (which === 'learnpath') {
  const app = await buildApp({ catalog, rateLimit: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  console.log(`LISTENING http://127.0.0.1:${address.port}`);
  stop = () => app.close();
} else if (which === 'apollo') {
  const store = new CatalogStore(catalog);
  const schema = attachResolvers(buildGraphqlSchema(), createResolvers({ store, ...GraphqlLimitsSchema.parse({}) }));
  const server = new ApolloServer({ schema, introspection: true });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 }, context: async () => ({ catalog: store.catalog }) });
  console.log(`LISTENING ${url.replace(/\/$/, '')}`);
  stop = () => server.stop();
} else if (which === 'mercurius') {
  // The reference point: mercurius on a bare Fastify, the same schema, resolvers and catalog,
  // none of the service's hooks, limits or caches.
  const { default: Fastify } = await import('fastify');
  const { default: mercurius } = await import('mercurius');
  const store = new CatalogStore(catalog);
  const schema = attachResolvers(buildGraphqlSchema(), createResolvers({ store, ...GraphqlLimitsSchema.parse({}) }));
  const app = Fastify();
  await app.register(mercurius, { schema, jit: 1, context: () => ({ catalog: store.catalog }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  console.log(`LISTENING http://127.0.0.1:${address.port}`);
  stop = () => app.close();
} else {
  throw new Error('usage: graphql-server.ts learnpath|apollo|mercurius');
}

process.once('SIGTERM', () => {
  void stop().finally(() => process.exit(0));
});
