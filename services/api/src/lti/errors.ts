/** Which step of the LTI flow refused a request. */
export type LtiCheck =
  | 'configuration'
  | 'login'
  | 'iss'
  | 'login_hint'
  | 'target_link_uri'
  | 'client_id'
  | 'deployment'
  | 'state'
  | 'token'
  | 'alg'
  | 'signature'
  | 'aud'
  | 'azp'
  | 'exp'
  | 'iat'
  | 'nonce'
  | 'version'
  | 'message_type'
  | 'claims'
  | 'deep_linking'
  | 'platform';

/**
 * A refused LTI request. `message` says what failed in words safe to show a person: it never
 * carries token contents, only which check failed and why.
 */
export class LtiError extends Error {
  override readonly name = 'LtiError';
  /** The HTTP status to answer with (4xx). */
  readonly statusCode: number;

  constructor(
    /** The check that failed. */
    readonly check: LtiCheck,
    message: string,
    statusCode = 400,
    /** Login parameters that start the launch again in a window of its own (when the browser blocked the state cookie in the LMS frame). */
    readonly reopen?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.statusCode = statusCode;
  }
}
