/** The parameters an LMS appends when it launches a cmi5 assignable unit. */
export interface Cmi5Launch {
  endpoint: string;
  fetch: string;
  registration: string;
  activityId: string;
  /** The origins the page must be allowed to connect to: the LRS and the token service. */
  origins: string[];
}

/** Why a launch URL cannot be used. */
export class Cmi5LaunchError extends Error {
  override readonly name = 'Cmi5LaunchError';
}

const LAUNCH_PARAMETERS = ['endpoint', 'fetch', 'actor', 'registration', 'activityId'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function httpUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Cmi5LaunchError(`The cmi5 launch parameter "${name}" must be an absolute URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Cmi5LaunchError(`The cmi5 launch parameter "${name}" must be an http or https URL.`);
  return url;
}

/**
 * Reads a cmi5 launch from a query: null when the request carries none of its parameters,
 * the launch when it carries all of them well-formed, and a `Cmi5LaunchError` otherwise.
 */
export function readCmi5Launch(query: Record<string, unknown>): Cmi5Launch | null {
  const present = LAUNCH_PARAMETERS.filter((name) => query[name] !== undefined);
  if (present.length === 0) return null;
  const values: Partial<Record<(typeof LAUNCH_PARAMETERS)[number], string>> = {};
  for (const name of LAUNCH_PARAMETERS) {
    const value = query[name];
    if (typeof value !== 'string' || value === '') throw new Cmi5LaunchError(`This cmi5 launch lacks the parameter "${name}" (or gives it more than once).`);
    if (value.length > 4096) throw new Cmi5LaunchError(`The cmi5 launch parameter "${name}" is too long.`);
    values[name] = value;
  }
  const endpoint = httpUrl(values.endpoint!, 'endpoint');
  const fetchUrl = httpUrl(values.fetch!, 'fetch');
  let actor: unknown;
  try {
    actor = JSON.parse(values.actor!);
  } catch {
    throw new Cmi5LaunchError('The cmi5 launch parameter "actor" must be a JSON agent.');
  }
  if (actor === null || typeof actor !== 'object' || Array.isArray(actor)) throw new Cmi5LaunchError('The cmi5 launch parameter "actor" must be a JSON agent.');
  if (!UUID.test(values.registration!)) throw new Cmi5LaunchError('The cmi5 launch parameter "registration" must be a UUID.');
  return {
    endpoint: endpoint.href,
    fetch: fetchUrl.href,
    registration: values.registration!,
    activityId: values.activityId!,
    origins: [...new Set([endpoint.origin, fetchUrl.origin])],
  };
}
