import { fileURLToPath } from 'node:url';
import { loadCatalog, type Catalog } from '@learnpath/content';
import { getNamedType, isLeafType, isObjectType, isUnionType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REST_PATH_SORTS } from '../src/graphql/connections.js';
import { buildGraphqlSchema } from '../src/graphql/schema/build.js';
import { buildShared } from './support/app.js';
import { SEED } from './support/fixtures.js';
import { gql } from './support/graphql.js';
import { expectProblem } from './support/problems.js';

// GraphQL and REST over the same catalog: for every field the two share, the same value.

const contentDir = fileURLToPath(new URL('../../../content', import.meta.url));
const schema: GraphQLSchema = buildGraphqlSchema();
// Fields GraphQL adds to follow references; REST has no counterpart, so they are not compared.
const RESOLVED = new Set(['Resource.phase', 'Resource.learningPath', 'Phase.learningPath', 'Prerequisite.learningPath', 'PhaseReference.target', 'ResourceReference.target', 'PathReference.target', 'SupplementaryMaterial.additionalResources', 'SupplementaryMaterial.supplementaryVideos']);

/** The selection of every mirrored field of a type, walked from the schema. */
function selectAll(type: GraphQLNamedType): string {
  if (isUnionType(type)) return `{ __typename ${type.getTypes().map((member) => `... on ${member.name} ${selectAll(member)}`).join(' ')} }`;
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields()).filter((f) => !RESOLVED.has(`${type.name}.${f.name}`) && f.args.length === 0);
  return `{ __typename ${fields.map((f) => (isLeafType(getNamedType(f.type)) ? f.name : `${f.name} ${selectAll(getNamedType(f.type))}`)).join(' ')} }`;
}
const selectionOf = (name: string): string => selectAll(schema.getType(name)!);

const ENUM_FIELDS = new Set(['kind', 'level', 'state', 'type']);

/** GraphQL's answer in REST's shape: enum names back to their values, union members back to their JSON. */
function toRest(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => toRest(item, key));
  if (value !== null && typeof value === 'object') {
    const { __typename, ...fields } = value as Record<string, unknown>;
    if (__typename === 'SupplementaryMaterial') return 'supplementary';
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, toRest(v, k)]));
  }
  if (typeof value === 'string' && ENUM_FIELDS.has(key)) return value.toLowerCase().replace(/_/g, '-');
  return value;
}

let catalog: Catalog;
const app = buildShared(async () => {
  // The bundled content folder, the seed among it: parity holds on what the service serves.
  const load = await loadCatalog(contentDir);
  if (load.catalog === null) throw new Error(`content/ does not load: ${load.diagnostics.map((d) => d.message).join('; ')}`);
  catalog = load.catalog;
  return { catalog };
});

async function rest(url: string): Promise<any> {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, url).toBe(200);
  return response.json();
}


describe('GraphQL and REST agree', () => {
  it('serve the seed', () => {
    expect(catalog.paths.has(SEED)).toBe(true);
  });

  it('on every field of every path, phase and resource', async () => {
    for (const path of catalog.paths.values()) {
      const data = await gql(app, `query ($slug: ID!) { path(slug: $slug) ${selectionOf('LearningPath')} }`, { slug: path.slug });
      expect(toRest(data['path']), path.slug).toEqual(await rest(`/v1/paths/${path.slug}`));
      for (const phase of path.phases) {
        const phaseData = await gql(app, `query ($slug: ID!, $id: ID!) { phase(path: $slug, id: $id) ${selectionOf('Phase')} }`, { slug: path.slug, id: phase.id });
        expect(toRest(phaseData['phase'])).toEqual(await rest(`/v1/paths/${path.slug}/phases/${phase.id}`));
        for (const resource of phase.resources) {
          const resourceData = await gql(app, `query ($slug: ID!, $id: ID!) { resource(path: $slug, id: $id) ${selectionOf('Resource')} where: resource(path: $slug, id: $id) { phase { id } learningPath { slug } } }`, {
            slug: path.slug,
            id: resource.id,
          });
          const { pathSlug, phaseId, ...fields } = await rest(`/v1/paths/${path.slug}/resources/${resource.id}`);
          expect(toRest(resourceData['resource'])).toEqual(fields);
          expect(resourceData['where']).toEqual({ phase: { id: phaseId }, learningPath: { slug: pathSlug } });
        }
      }
    }
  });

  it('on the dependency graph of every path', async () => {
    for (const slug of catalog.paths.keys()) {
      const data = await gql(app, `query ($slug: ID!) { graph(path: $slug) ${selectionOf('PathGraph')} }`, { slug });
      expect(toRest(data['graph']), slug).toEqual(await rest(`/v1/paths/${slug}/graph`));
    }
  });

  it('on progress reports', async () => {
    const seed = catalog.paths.get(SEED)!;
    const ids = seed.phases.flatMap((p) => p.resources.map((r) => r.id));
    for (const completed of [[], ids.slice(0, 1), ids.slice(0, 3), [ids[4]!], ids]) {
      const data = await gql(app, `query ($slug: ID!, $completed: [ID!]!) { progress(path: $slug, completed: $completed) ${selectionOf('ProgressReport')} }`, { slug: SEED, completed });
      const response = await app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, payload: { completed } });
      expect(response.statusCode).toBe(200);
      expect(toRest(data['progress']), completed.join(',')).toEqual(response.json());
    }
    const refused = await app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, payload: { completed: ['no-such-resource'] } });
    expect(expectProblem(refused, 400).type).toBe('urn:learnpath:problem:unknown-resource-ids');
    const graphqlRefused = await app.inject({ method: 'POST', url: '/graphql', payload: { query: `{ progress(path: "${SEED}", completed: ["no-such-resource"]) { percent } }` } });
    expect(graphqlRefused.json().errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('on path listings: every sort and filter, the same paths in the same order with the same shared fields', async () => {
    const filters: [string, Record<string, unknown>][] = [
      ['', {}],
      ['q=stream', { q: 'stream' }],
      ['q=KAFKA', { q: 'KAFKA' }],
      ['kind=video', { kind: 'VIDEO' }],
      ['kind=article', { kind: 'ARTICLE' }],
      ['maxMinutes=300', { maxMinutes: 300 }],
      ['level=beginner', { level: 'BEGINNER' }],
      ['level=intermediate', { level: 'INTERMEDIATE' }],
    ];
    const tags = [...new Set([...catalog.paths.values()].flatMap((p) => p.tags))];
    for (const tag of tags.slice(0, 3)) filters.push([`tag=${tag}`, { tag }]);
    for (const [sort, restSort] of Object.entries(REST_PATH_SORTS)) {
      for (const [query, filter] of filters) {
        const listing = await rest(`/v1/paths?sort=${restSort}&limit=100${query ? `&${query}` : ''}`);
        const data = await gql(app, `query ($filter: PathFilter, $sort: PathSort) { paths(filter: $filter, sort: $sort, first: 100) { totalCount edges { node { slug title level tags totalMinutes resourceCount } } } }`, { filter, sort });
        const connection = data['paths'] as { totalCount: number; edges: { node: Record<string, unknown> }[] };
        expect(connection.totalCount, `${sort} ${query}`).toBe(listing.total);
        const shared = listing.items.map((item: Record<string, unknown>) => Object.fromEntries(Object.keys(connection.edges[0]?.node ?? {}).map((k) => [k, item[k]])));
        expect(connection.edges.map((e) => toRest(e.node)), `${sort} ${query}`).toEqual(shared);
      }
    }
  });

  it('on resource listings and their pages', async () => {
    const filters: [string, Record<string, unknown>][] = [
      ['', {}],
      ['kind=video', { kind: 'VIDEO' }],
      ['q=stream', { q: 'stream' }],
      ['maxMinutes=30', { maxMinutes: 30 }],
      [`path=${SEED}`, { path: SEED }],
      [`path=${SEED}&maxMinutes=35&q=processing`, { path: SEED, maxMinutes: 35, q: 'processing' }],
      ['tag=kafka', { tag: 'kafka' }],
      ['level=intermediate&kind=article', { level: 'INTERMEDIATE', kind: 'ARTICLE' }],
    ];
    for (const [query, filter] of filters) {
      const listing = await rest(`/v1/resources?limit=100${query ? `&${query}` : ''}`);
      const data = await gql(app, `query ($filter: ResourceFilter) { resources(filter: $filter, first: 100) { totalCount edges { node ${selectionOf('Resource')} where: node { phase { id } learningPath { slug } } } } }`, { filter });
      const connection = data['resources'] as { totalCount: number; edges: { node: unknown; where: { phase: { id: string }; learningPath: { slug: string } } }[] };
      expect(connection.totalCount, query).toBe(listing.total);
      expect(
        connection.edges.map((e) => ({ ...(toRest(e.node) as object), pathSlug: e.where.learningPath.slug, phaseId: e.where.phase.id })),
        query,
      ).toEqual(listing.items);
    }
    // Pages of 3 walk the whole unpaged list in both APIs, each item once.
    const full = (await rest('/v1/resources?limit=100')).items.map((r: { pathSlug: string; id: string }) => `${r.pathSlug}/${r.id}`);
    expect(full.length).toBeLessThan(100);
    const restIds: string[] = [];
    for (let cursor: string | null = null, i = 0; i < 100; i++) {
      const page = await rest(`/v1/resources?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      restIds.push(...page.items.map((r: { pathSlug: string; id: string }) => `${r.pathSlug}/${r.id}`));
      if (!(cursor = page.nextCursor)) break;
    }
    const graphqlIds: string[] = [];
    for (let after: string | null = null, i = 0; i < 100; i++) {
      const data = await gql(app, 'query ($after: String) { resources(first: 3, after: $after) { edges { node { id learningPath { slug } } } pageInfo { hasNextPage endCursor } } }', { after });
      const connection = data['resources'] as { edges: { node: { id: string; learningPath: { slug: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      graphqlIds.push(...connection.edges.map((e) => `${e.node.learningPath.slug}/${e.node.id}`));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(restIds).toEqual(full);
    expect(graphqlIds).toEqual(full);
    expect(full.length).toBeGreaterThan(3);
  });
});
