import Router from 'find-my-way';

// The methods a 405 can name. OPTIONS is left out: CORS answers it for every URL.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Every route the app declares, in a router of its own, so that a request that matched no
 * route can be told apart: a known URL with another method (405 with Allow) or nothing (404).
 */
export class RouteIndex {
  readonly #router = Router();

  /** Records a route as Fastify's onRoute hook reports it. */
  add(method: string | string[], url: string): void {
    for (const m of Array.isArray(method) ? method : [method]) {
      const upper = m.toUpperCase();
      if (!(METHODS as readonly string[]).includes(upper) || this.#router.hasRoute(upper as Router.HTTPMethod, url)) continue;
      this.#router.on(upper as Router.HTTPMethod, url, () => undefined);
    }
  }

  /** The methods a URL (path and query) accepts, empty when no route matches it. */
  allowedMethods(url: string): string[] {
    const path = url.split('?', 1)[0] ?? url;
    return METHODS.filter((m) => this.#router.find(m, path) !== null);
  }
}
