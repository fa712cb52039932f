import { z } from 'zod';

/** One place of the service a newcomer or a client looks for. */
export const ServiceLinkSchema = z
  .strictObject({
    rel: z.enum(['paths', 'resources', 'learn', 'docs', 'openapi', 'graphql', 'graphiql', 'health']).describe('What the link leads to.'),
    href: z.string().max(200).describe('Path of the link, relative to the service.'),
    title: z.string().max(200).describe('What is there, for a person.'),
  })
  .describe('A place of the service.');
export type ServiceLink = z.output<typeof ServiceLinkSchema>;

/** Where the learner pages are, when the service has them. */
export const LEARN_PATH = '/learn';

/** The places of the service, in the order a newcomer wants them; `learn` when the learner pages exist. */
export function listServiceLinks(options: { learn: boolean }): ServiceLink[] {
  return [
    { rel: 'paths', href: '/v1/paths', title: 'The learning paths over REST' },
    { rel: 'resources', href: '/v1/resources', title: 'Resources across every path' },
    ...(options.learn ? [{ rel: 'learn' as const, href: LEARN_PATH, title: 'Learner pages: follow a path and mark resources done' }] : []),
    { rel: 'docs', href: '/docs', title: 'Interactive API docs' },
    { rel: 'openapi', href: '/openapi.json', title: 'OpenAPI 3.1 document' },
    { rel: 'graphql', href: '/graphql', title: 'GraphQL endpoint' },
    { rel: 'graphiql', href: '/graphiql', title: 'GraphQL explorer' },
    { rel: 'health', href: '/healthz', title: 'Health and content version' },
  ];
}

/** The start-up line's list of places: `REST <base>/v1/paths · docs <base>/docs · …`. */
export function describeStartLinks(base: string, options: { learn: boolean }): string {
  const places: [string, string][] = [
    ['REST', '/v1/paths'],
    ...(options.learn ? ([['learner pages', LEARN_PATH]] as [string, string][]) : []),
    ['docs', '/docs'],
    ['GraphQL explorer', '/graphiql'],
    ['health', '/healthz'],
  ];
  return places.map(([name, path]) => `${name} ${base}${path}`).join(' · ');
}
