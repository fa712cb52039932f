import { z } from 'zod';
import { discardBody, readLimitedText, ResponseTooLargeError } from '../http/read-limited.js';
import { Cmi5ActorSchema } from './cmi5-learner.js';

/** Limits of the request that confirms a completion with the LRS. */
export interface LrsRequestLimits {
  /** How long the LRS has to answer, body included. */
  timeoutMs: number;
  /** The largest answer read, in bytes. */
  maxBytes: number;
}

/** Five seconds and 256 KiB: a statement is a few kilobytes. */
export const DEFAULT_LRS_REQUEST_LIMITS: LrsRequestLimits = { timeoutMs: 5000, maxBytes: 256 * 1024 };

/** The xAPI verb of a cmi5 completion. */
export const COMPLETED_VERB = 'http://adlnet.gov/expapi/verbs/completed';

/** Why the LRS did not confirm a completion: an HTTP status for our answer, a title and a sentence. */
export class LrsConfirmError extends Error {
  override readonly name = 'LrsConfirmError';
  constructor(
    readonly status: 403 | 502 | 504,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

const ActivitySchema = z.object({ id: z.string() });
const ActivityListSchema = z.union([z.array(ActivitySchema), ActivitySchema.transform((a) => [a])]);

/** The parts of an xAPI statement a completion is checked against. */
export const LrsStatementSchema = z.object({
  id: z.string(),
  actor: Cmi5ActorSchema,
  verb: z.object({ id: z.string() }),
  object: z.object({ id: z.string() }),
  context: z
    .object({
      registration: z.string().optional(),
      contextActivities: z.object({ grouping: ActivityListSchema.optional() }).optional(),
    })
    .optional(),
  timestamp: z.string().optional(),
});
/** A statement as the LRS returned it (the fields checked). */
export type LrsStatement = z.output<typeof LrsStatementSchema>;

/** The statements resource of an xAPI endpoint, asking for one statement. */
export function statementUrl(endpoint: URL, statementId: string): URL {
  const base = new URL(endpoint.href.endsWith('/') ? endpoint.href : `${endpoint.href}/`);
  const url = new URL('statements', base);
  url.searchParams.set('statementId', statementId);
  return url;
}


/**
 * Fetches one statement from the LRS with the launch's auth token (sent once, kept nowhere):
 * no redirects followed, a timeout and a size limit. Throws `LrsConfirmError` when the LRS
 * refuses, has no such statement, cannot be reached or answers something that is not one.
 */
export async function fetchLrsStatement(endpoint: URL, statementId: string, authToken: string, limits: LrsRequestLimits = DEFAULT_LRS_REQUEST_LIMITS): Promise<LrsStatement> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(statementUrl(endpoint, statementId), {
      method: 'GET',
      headers: { authorization: `Basic ${authToken}`, 'x-experience-api-version': '1.0.3', accept: 'application/json' },
      // A redirect could lead anywhere; the LRS is the allowed origin or nothing.
      redirect: 'manual',
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
    if (!response.ok) await discardBody(response);
    if (response.status === 401 || response.status === 403) throw new LrsConfirmError(403, 'The LRS refused the token', 'The LRS did not accept the launch’s auth token.');
    if (response.status === 404) throw new LrsConfirmError(403, 'No such statement', 'The LRS has no statement with this id.');
    if (response.status >= 300 && response.status < 500) throw new LrsConfirmError(403, 'The LRS did not confirm the completion', `The LRS answered ${response.status}.`);
    if (response.status >= 500) throw new LrsConfirmError(502, 'The LRS failed', `The LRS answered ${response.status}.`);
    text = await readLimitedText(response, limits.maxBytes);
  } catch (error) {
    if (error instanceof LrsConfirmError) throw error;
    if (error instanceof ResponseTooLargeError) throw new LrsConfirmError(502, 'The LRS answer is too large', `The LRS answered with more than ${limits.maxBytes} bytes.`);
    if (error instanceof Error && error.name === 'TimeoutError') throw new LrsConfirmError(504, 'The LRS did not answer in time', `The LRS did not answer within ${limits.timeoutMs} ms.`);
    throw new LrsConfirmError(502, 'The LRS cannot be reached', 'The LRS could not be reached.');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LrsConfirmError(502, 'The LRS answer is not a statement', 'The LRS answered something other than JSON.');
  }
  const parsed = LrsStatementSchema.safeParse(body);
  if (!parsed.success) throw new LrsConfirmError(502, 'The LRS answer is not a statement', 'The LRS answered JSON that is not an xAPI statement.');
  return parsed.data;
}
