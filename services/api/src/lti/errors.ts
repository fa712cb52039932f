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
  ) {
    super(message);
    this.statusCode = statusCode;
  }
}
