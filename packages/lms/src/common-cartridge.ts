import { indexPath, type LearningPath } from '@learnpath/schema';
import { zipSync, strToU8, type Zippable } from 'fflate';
import { CANVAS_EXPORT_FLAG_TEXT, renderModuleMeta, type CanvasModuleItem, type CanvasModulePlan } from './canvas.js';
import { exportFilename, exportFormatInfo, type ExportFile } from './formats.js';
import { fileStem, xmlId } from './ids.js';
import { normalizeBaseUrl, normalizeLanguage } from './options.js';
import { renderAboutPage, renderResourcePage } from './pages.js';
import { phaseLabel } from './references.js';
import { createXmlDocument, serializeXml, textElement, xmlText } from './xml.js';

/** Options of the Common Cartridge export. */
export interface CommonCartridgeOptions {
  /** `1.3` (default; Canvas) or `1.1` (Moodle, Blackboard). */
  version?: '1.3' | '1.1';
  /** The service's base URL; when given, pages link to the path and resources online. */
  baseUrl?: string;
  /** Language of the metadata (BCP 47, default `en`). */
  language?: string;
  /** Add Canvas's extension files (module_meta.xml). Default: true for 1.3, false for 1.1. */
  canvas?: boolean;
}

/** A file inside an archive. */
export interface ArchiveEntry {
  path: string;
  data: string;
}

interface CartridgeProfile {
  schemaversion: string;
  cp: string;
  lomManifest: string;
  lomResource: string;
  webLink: string;
  webLinkType: string;
  applicationResourceType: string;
  schemaLocation: string;
}

const PROFILES: Record<'1.3' | '1.1', CartridgeProfile> = {
  '1.3': {
    schemaversion: '1.3.0',
    cp: 'http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1',
    lomManifest: 'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest',
    lomResource: 'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource',
    webLink: 'http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3',
    webLinkType: 'imswl_xmlv1p3',
    applicationResourceType: 'associatedcontent/imscc_xmlv1p3/learning-application-resource',
    schemaLocation: [
      'http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1 http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd',
      'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd',
      'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lomresource_v1p0.xsd',
    ].join(' '),
  },
  '1.1': {
    schemaversion: '1.1.0',
    cp: 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1',
    lomManifest: 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest',
    lomResource: 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource',
    webLink: 'http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1',
    webLinkType: 'imswl_xmlv1p1',
    applicationResourceType: 'associatedcontent/imscc_xmlv1p1/learning-application-resource',
    schemaLocation: [
      'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd',
      'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd',
      'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd',
    ].join(' '),
  },
};

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

// Zip entries carry this local time so two exports are byte-identical on any machine
// (fflate writes DOS times from local-time getters, so the Date is built in local time).
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

interface ManifestResource {
  identifier: string;
  type: string;
  href?: string;
  intendeduse?: 'syllabus';
  files: string[];
}

/**
 * The files of a Common Cartridge for `path`, `imsmanifest.xml` first and the rest in path
 * order. Every identifier derives from the slug and the phase/resource ids, so re-importing an
 * edited path updates what the last import created.
 */
export function buildCommonCartridgeEntries(path: LearningPath, options: CommonCartridgeOptions = {}): ArchiveEntry[] {
  const version = options.version ?? '1.3';
  const profile = PROFILES[version];
  const withCanvas = options.canvas ?? version === '1.3';
  const baseUrl = options.baseUrl === undefined ? undefined : normalizeBaseUrl(options.baseUrl);
  const language = normalizeLanguage(options.language);
  const index = indexPath(path);
  const slug = path.slug;

  const files: ArchiveEntry[] = [];
  const resources: ManifestResource[] = [];
  const plan: CanvasModulePlan = { moduleIds: new Map(), items: new Map() };
  const usedStems = new Set<string>();
  const stemFor = (id: string): string => {
    // Resource ids are unique in a valid path; a duplicate still gets its own file.
    let stem = fileStem(id);
    for (let n = 2; usedStems.has(stem); n++) stem = `${fileStem(id)}-${n}`;
    usedStems.add(stem);
    return stem;
  };

  const doc = createXmlDocument();
  const manifest = doc.ele(profile.cp, 'manifest', {
    identifier: xmlId(slug),
    'xmlns:lomimscc': profile.lomManifest,
    'xmlns:lom': profile.lomResource,
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': profile.schemaLocation,
  });

  const metadata = manifest.ele('metadata');
  textElement(metadata, 'schema', 'IMS Common Cartridge');
  textElement(metadata, 'schemaversion', profile.schemaversion);
  const general = metadata.ele(profile.lomManifest, 'lomimscc:lom').ele('lomimscc:general');
  const langString = (name: string, text: string): void => {
    general.ele(`lomimscc:${name}`).ele('lomimscc:string', { language }).txt(xmlText(text));
  };
  langString('title', path.title);
  textElement(general, 'lomimscc:language', language);
  if (path.overview.trim() !== '') langString('description', path.overview);
  for (const tag of path.tags) langString('keyword', tag);

  const root = manifest
    .ele('organizations')
    .ele('organization', { identifier: xmlId(slug, 'org'), structure: 'rooted-hierarchy' })
    .ele('item', { identifier: xmlId(slug, 'root') });

  for (const phase of path.phases) {
    const moduleId = xmlId(slug, 'phase', phase.id);
    plan.moduleIds.set(phase.id, moduleId);
    const items: CanvasModuleItem[] = [];
    plan.items.set(phase.id, items);
    const phaseItem = root.ele('item', { identifier: moduleId });
    textElement(phaseItem, 'title', phaseLabel(phase));
    for (const resource of phase.resources) {
      const itemId = xmlId(slug, 'item', resource.id);
      const resourceId = xmlId(slug, 'res', resource.id);
      textElement(phaseItem.ele('item', { identifier: itemId, identifierref: resourceId }), 'title', resource.title);
      const stem = stemFor(resource.id);
      if (resource.url !== null) {
        const href = `weblinks/${stem}.xml`;
        files.push({ path: href, data: renderWebLink(profile, resource.title, resource.url) });
        resources.push({ identifier: resourceId, type: profile.webLinkType, files: [href] });
        items.push({ identifier: itemId, title: resource.title, content: { type: 'ExternalUrl', url: resource.url } });
      } else {
        const href = `wiki_content/${stem}.html`;
        files.push({ path: href, data: renderResourcePage(path, phase, resource, { index, identifier: resourceId, baseUrl }) });
        resources.push({ identifier: resourceId, type: 'webcontent', href, files: [href] });
        items.push({ identifier: itemId, title: resource.title, content: { type: 'WikiPage', identifierref: resourceId } });
      }
    }
  }

  // The About page is not an organization item: the organization mirrors the phases exactly.
  const aboutHref = `wiki_content/${usedStems.has('about-this-path') ? 'about-this-path--overview' : 'about-this-path'}.html`;
  const aboutId = xmlId(slug, 'about');
  files.push({ path: aboutHref, data: renderAboutPage(path, { index, identifier: aboutId, baseUrl }) });
  resources.push({ identifier: aboutId, type: 'webcontent', href: aboutHref, intendeduse: 'syllabus', files: [aboutHref] });

  if (withCanvas) {
    const flag = 'course_settings/canvas_export.txt';
    const moduleMeta = 'course_settings/module_meta.xml';
    files.push({ path: moduleMeta, data: renderModuleMeta(path, plan) });
    files.push({ path: flag, data: CANVAS_EXPORT_FLAG_TEXT });
    // Canvas recognises its own flavour of cartridge by a resource whose href is this flag.
    resources.push({ identifier: xmlId(slug, 'canvas'), type: profile.applicationResourceType, href: flag, files: [moduleMeta, flag] });
  }

  const resourcesNode = manifest.ele('resources');
  for (const resource of resources) {
    const attrs: Record<string, string> = { identifier: resource.identifier, type: resource.type };
    if (resource.href !== undefined) attrs.href = resource.href;
    if (resource.intendeduse !== undefined) attrs.intendeduse = resource.intendeduse;
    const node = resourcesNode.ele('resource', attrs);
    for (const file of resource.files) node.ele('file', { href: file });
  }

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [{ path: 'imsmanifest.xml', data: serializeXml(doc) }, ...files];
}

function renderWebLink(profile: CartridgeProfile, title: string, url: string): string {
  const doc = createXmlDocument();
  const link = doc.ele(profile.webLink, 'webLink', {
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${profile.webLink} ${profile.webLink === PROFILES['1.3'].webLink ? 'http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imswl_v1p3.xsd' : 'http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd'}`,
  });
  textElement(link, 'title', title);
  link.ele('url', { href: xmlText(url), target: '_blank' });
  return serializeXml(doc);
}

/** Packs archive entries into a zip with fixed timestamps, in the given order. */
export function zipEntries(entries: readonly ArchiveEntry[]): Uint8Array {
  const zippable: Zippable = {};
  for (const entry of entries) zippable[entry.path] = [strToU8(entry.data), { mtime: FIXED_MTIME }];
  return zipSync(zippable, { level: 9, mtime: FIXED_MTIME });
}

/** Exports `path` as an IMS Common Cartridge (`.imscc`, a zip). */
export function exportCommonCartridge(path: LearningPath, options: CommonCartridgeOptions = {}): ExportFile {
  const format = (options.version ?? '1.3') === '1.3' ? 'imscc' : 'imscc-1.1';
  return {
    filename: exportFilename(path.slug, format),
    contentType: exportFormatInfo(format).contentType,
    body: zipEntries(buildCommonCartridgeEntries(path, options)),
  };
}
