import { z } from 'zod';
import { CLAIM } from './claims.js';

/** The Deep Linking settings a platform sends with an `LtiDeepLinkingRequest`. */
export const DeepLinkingSettingsSchema = z.object({
  deep_link_return_url: z.url({ protocol: /^https?$/ }).describe('Where the response is posted.'),
  accept_types: z.array(z.string()).min(1).describe('Content item types the platform accepts.'),
  accept_presentation_document_targets: z.array(z.string()).describe('Presentation targets the platform accepts.'),
  accept_multiple: z.boolean().optional().describe('Whether several items may be returned.'),
  accept_lineitem: z.boolean().optional().describe('Whether items may carry a line item.'),
  auto_create: z.boolean().optional(),
  title: z.string().optional(),
  text: z.string().optional(),
  data: z.string().optional().describe('Opaque value the response must echo.'),
});
/** Deep Linking settings. */
export type DeepLinkingSettings = z.output<typeof DeepLinkingSettingsSchema>;

/** The AGS endpoint claim. */
export const AgsEndpointSchema = z.object({
  scope: z.array(z.string()),
  lineitem: z.url({ protocol: /^https?$/ }).optional(),
  lineitems: z.url({ protocol: /^https?$/ }).optional(),
});
/** The AGS endpoint claim. */
export type AgsEndpoint = z.output<typeof AgsEndpointSchema>;

/** Claims every LTI message carries (LTI 1.3 Core §5.3). */
export const CommonClaimsSchema = z.object({
  sub: z.string().min(1).max(255).optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  [CLAIM.deploymentId]: z.string().min(1).max(255),
  [CLAIM.roles]: z.array(z.string()),
  [CLAIM.context]: z.object({ id: z.string().min(1), title: z.string().optional(), label: z.string().optional() }).optional(),
  [CLAIM.custom]: z.record(z.string(), z.unknown()).optional(),
});

/** Claims an `LtiResourceLinkRequest` must carry (§5.3, §5.4 with a `sub`, which the tool needs to know the learner). */
export const ResourceLinkClaimsSchema = CommonClaimsSchema.extend({
  sub: z.string().min(1).max(255),
  [CLAIM.targetLinkUri]: z.url(),
  [CLAIM.resourceLink]: z.object({ id: z.string().min(1).max(255), title: z.string().optional(), description: z.string().optional() }),
  [CLAIM.agsEndpoint]: AgsEndpointSchema.optional(),
});

/** Claims an `LtiDeepLinkingRequest` must carry (Deep Linking 2.0 §4.4). */
export const DeepLinkingClaimsSchema = CommonClaimsSchema.extend({
  [CLAIM.deepLinkingSettings]: DeepLinkingSettingsSchema,
});
