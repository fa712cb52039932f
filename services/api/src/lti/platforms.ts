import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const httpsOrLoopbackUrl = z.url({ protocol: /^https?$/ });

/** One LMS (platform) registration as the tool knows it. */
export const LtiPlatformSchema = z
  .object({
    issuer: z.string().min(1).describe('The platform issuer (`iss` of its tokens), e.g. https://canvas.instructure.com.'),
    clientId: z.string().min(1).describe('The client id the platform gave this tool.'),
    deploymentIds: z.array(z.string().min(1)).min(1).describe('Deployments of the tool on the platform accepted in launches.'),
    authLoginUrl: httpsOrLoopbackUrl.describe('The platform OIDC authorization endpoint.'),
    accessTokenUrl: httpsOrLoopbackUrl.describe('The platform OAuth 2 token endpoint (AGS).'),
    jwksUrl: httpsOrLoopbackUrl.describe('The platform public key set.'),
    keepPersonalData: z
      .boolean()
      .optional()
      .describe('Whether names and emails the platform sends may be kept (shown to instructors, erased with the learner). Default false: the tool keeps neither.'),
  })
  .strict();
/** One LMS (platform) registration. */
export type LtiPlatform = z.output<typeof LtiPlatformSchema>;

/** A list of platform registrations, as `LTI_PLATFORMS` holds them. */
export const LtiPlatformListSchema = z.array(LtiPlatformSchema);

/** Thrown when the platform configuration cannot be read; the message names the variable and the field. */
export class LtiConfigurationError extends Error {
  override readonly name = 'LtiConfigurationError';
}

/** Parses the JSON text of a platform list; `source` names where it came from in errors. */
export function parsePlatforms(text: string, source: string): LtiPlatform[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LtiConfigurationError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = LtiPlatformListSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length > 0 ? `[${i.path.join('].[')}]` : '(top level)'}: ${i.message}`);
    throw new LtiConfigurationError(`${source} is not a valid platform list: ${problems.join('; ')}`);
  }
  const seen = new Set<string>();
  for (const platform of parsed.data) {
    const key = `${platform.issuer}\u0000${platform.clientId}`;
    if (seen.has(key)) throw new LtiConfigurationError(`${source} lists issuer ${platform.issuer} with client id ${platform.clientId} twice`);
    seen.add(key);
  }
  return parsed.data;
}

/** Reads the platforms from `LTI_PLATFORMS` (JSON) or `LTI_PLATFORMS_FILE` (a JSON file); none when neither is set. */
export async function readPlatforms(env: { LTI_PLATFORMS?: string | undefined; LTI_PLATFORMS_FILE?: string | undefined }): Promise<LtiPlatform[]> {
  if (env.LTI_PLATFORMS && env.LTI_PLATFORMS_FILE) throw new LtiConfigurationError('set LTI_PLATFORMS or LTI_PLATFORMS_FILE, not both');
  if (env.LTI_PLATFORMS) return parsePlatforms(env.LTI_PLATFORMS, 'LTI_PLATFORMS');
  if (env.LTI_PLATFORMS_FILE) {
    let text: string;
    try {
      text = await readFile(env.LTI_PLATFORMS_FILE, 'utf8');
    } catch (error) {
      throw new LtiConfigurationError(`LTI_PLATFORMS_FILE ${env.LTI_PLATFORMS_FILE} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return parsePlatforms(text, `LTI_PLATFORMS_FILE ${env.LTI_PLATFORMS_FILE}`);
  }
  return [];
}

/**
 * Where the tool looks platforms up. Configured platforms come from the environment; platforms
 * registered dynamically come from the database, which implements this too.
 */
export interface LtiPlatformRegistry {
  /** Every registration of `issuer` (one issuer, such as Canvas, may hold many client ids). */
  findByIssuer(issuer: string): Promise<LtiPlatform[]>;
}

/** A registry over a fixed list (the configured platforms). */
export class StaticPlatformRegistry implements LtiPlatformRegistry {
  readonly #platforms: readonly LtiPlatform[];
  constructor(platforms: readonly LtiPlatform[]) {
    this.#platforms = platforms;
  }
  async findByIssuer(issuer: string): Promise<LtiPlatform[]> {
    return this.#platforms.filter((p) => p.issuer === issuer);
  }
}

/** The registration of `issuer` for `clientId`, or the only one of `issuer` when no client id is given. */
export async function resolvePlatform(registry: LtiPlatformRegistry, issuer: string, clientId: string | undefined): Promise<LtiPlatform | 'unknown-issuer' | 'unknown-client' | 'ambiguous'> {
  const candidates = await registry.findByIssuer(issuer);
  if (candidates.length === 0) return 'unknown-issuer';
  if (clientId !== undefined) return candidates.find((p) => p.clientId === clientId) ?? 'unknown-client';
  return candidates.length === 1 ? candidates[0]! : 'ambiguous';
}
