import type { LearningPath } from '@learnpath/schema';
import { zipEntries, type ArchiveEntry } from './common-cartridge.js';
import { exportFilename, exportFormatInfo, type ExportFile } from './formats.js';
import { fileStem, xmlId } from './ids.js';
import { ExportOptionsError, normalizeBaseUrl, normalizeLanguage } from './options.js';
import { phaseLabel } from './references.js';
import { createXmlDocument, serializeXml, textElement, xmlText } from './xml.js';

/** Options of the thin (LTI link) cartridge. */
export interface LtiCartridgeOptions {
  /** The service's public base URL; the links launch `{baseUrl}/learn/{slug}` through the LTI tool. Required. */
  baseUrl: string;
  /** One link per phase instead of one per path. */
  perPhase?: boolean;
  /** Language of the metadata (BCP 47, default `en`). */
  language?: string;
}

const CP = 'http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1';
const LOM_MANIFEST = 'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest';
const LOM_RESOURCE = 'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** Namespace of the cartridge LTI link (`cartridge_basiclti_link`). */
export const LTI_CC_NAMESPACE = 'http://www.imsglobal.org/xsd/imslticc_v1p0';
const BLTI = 'http://www.imsglobal.org/xsd/imsbasiclti_v1p0';
const LTICM = 'http://www.imsglobal.org/xsd/imslticm_v1p0';
const LTICP = 'http://www.imsglobal.org/xsd/imslticp_v1p0';
/** The resource type of an LTI link in a Common Cartridge. */
export const LTI_LINK_RESOURCE_TYPE = 'imsbasiclti_xmlv1p0';

interface LtiLink {
  id: string;
  title: string;
  description: string;
  url: string;
  custom: Record<string, string>;
}

function plain(markdown: string): string {
  return markdown.replace(/[#*_`>]|\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
}

function linksOf(path: LearningPath, baseUrl: string, perPhase: boolean): LtiLink[] {
  const learn = `${baseUrl}/learn/${encodeURIComponent(path.slug)}`;
  if (!perPhase) return [{ id: path.slug, title: path.title, description: plain(path.overview), url: learn, custom: { path: path.slug } }];
  return path.phases.map((phase) => ({
    id: phase.id,
    title: `${path.title}: ${phaseLabel(phase)}`,
    description: phase.resources.map((r) => r.title).join(', '),
    url: `${learn}?phase=${encodeURIComponent(phase.id)}`,
    custom: { path: path.slug, phase: phase.id },
  }));
}

/** The `cartridge_basiclti_link` document of one link. */
function renderLtiLink(link: LtiLink, baseUrl: string): string {
  const doc = createXmlDocument();
  const root = doc.ele(LTI_CC_NAMESPACE, 'cartridge_basiclti_link', {
    'xmlns:blti': BLTI,
    'xmlns:lticm': LTICM,
    'xmlns:lticp': LTICP,
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': [
      `${LTI_CC_NAMESPACE} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticc_v1p0.xsd`,
      `${BLTI} http://www.imsglobal.org/xsd/lti/ltiv1p0/imsbasiclti_v1p0p1.xsd`,
      `${LTICM} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticm_v1p0.xsd`,
      `${LTICP} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticp_v1p0.xsd`,
    ].join(' '),
  });
  root.ele(BLTI, 'blti:title').txt(xmlText(link.title));
  if (link.description !== '') root.ele(BLTI, 'blti:description').txt(xmlText(link.description));
  const custom = root.ele(BLTI, 'blti:custom');
  for (const [name, value] of Object.entries(link.custom)) custom.ele(LTICM, 'lticm:property', { name }).txt(xmlText(value));
  // Canvas matches an imported link to the LTI 1.3 developer key of the same domain.
  const canvas = root.ele(BLTI, 'blti:extensions', { platform: 'canvas.instructure.com' });
  canvas.ele(LTICM, 'lticm:property', { name: 'domain' }).txt(new URL(baseUrl).host);
  canvas.ele(LTICM, 'lticm:property', { name: 'privacy_level' }).txt('public');
  const url = new URL(link.url);
  root.ele(BLTI, 'blti:launch_url').txt(xmlText(link.url));
  if (url.protocol === 'https:') root.ele(BLTI, 'blti:secure_launch_url').txt(xmlText(link.url));
  const vendor = root.ele(BLTI, 'blti:vendor');
  textElement(vendor, 'lticp:code', 'learnpath');
  textElement(vendor, 'lticp:name', 'Learnpath');
  return serializeXml(doc);
}

/**
 * The files of a thin Common Cartridge 1.3: one LTI link to this service per path (or per
 * phase), `imsmanifest.xml` first. An LMS import creates links that launch through the LTI 1.3
 * tool; the identifiers derive from the slug and phase ids, so a re-import updates in place.
 */
export function buildLtiCartridgeEntries(path: LearningPath, options: LtiCartridgeOptions): ArchiveEntry[] {
  if ((options.baseUrl as string | undefined) === undefined) throw new ExportOptionsError('the imscc-lti export needs a base URL (baseUrl): the links launch the Learnpath service');
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const language = normalizeLanguage(options.language);
  const perPhase = options.perPhase ?? false;
  const slug = path.slug;

  const doc = createXmlDocument();
  const manifest = doc.ele(CP, 'manifest', {
    identifier: xmlId(slug, perPhase ? 'lti-phases' : 'lti'),
    'xmlns:lomimscc': LOM_MANIFEST,
    'xmlns:lom': LOM_RESOURCE,
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': [
      `${CP} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd`,
      `${LOM_MANIFEST} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd`,
      `${LOM_RESOURCE} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lomresource_v1p0.xsd`,
    ].join(' '),
  });
  const metadata = manifest.ele('metadata');
  textElement(metadata, 'schema', 'IMS Common Cartridge');
  textElement(metadata, 'schemaversion', '1.3.0');
  const general = metadata.ele(LOM_MANIFEST, 'lomimscc:lom').ele('lomimscc:general');
  general.ele('lomimscc:title').ele('lomimscc:string', { language }).txt(xmlText(path.title));
  textElement(general, 'lomimscc:language', language);

  const root = manifest
    .ele('organizations')
    .ele('organization', { identifier: xmlId(slug, 'lti-org'), structure: 'rooted-hierarchy' })
    .ele('item', { identifier: xmlId(slug, 'lti-root') });
  const resources = manifest.ele('resources');
  const files: ArchiveEntry[] = [];
  for (const link of linksOf(path, baseUrl, perPhase)) {
    const resourceId = xmlId(slug, 'lti-res', link.id);
    const item = root.ele('item', { identifier: xmlId(slug, 'lti-item', link.id), identifierref: resourceId });
    textElement(item, 'title', link.title);
    const href = `lti/${fileStem(link.id)}.xml`;
    resources.ele('resource', { identifier: resourceId, type: LTI_LINK_RESOURCE_TYPE }).ele('file', { href });
    files.push({ path: href, data: renderLtiLink(link, baseUrl) });
  }
  return [{ path: 'imsmanifest.xml', data: serializeXml(doc) }, ...files];
}

/** Exports `path` as a thin Common Cartridge 1.3 of LTI links (`.lti.imscc`, a zip). */
export function exportLtiCartridge(path: LearningPath, options: LtiCartridgeOptions): ExportFile {
  return {
    filename: exportFilename(path.slug, 'imscc-lti'),
    contentType: exportFormatInfo('imscc-lti').contentType,
    body: zipEntries(buildLtiCartridgeEntries(path, options)),
  };
}
