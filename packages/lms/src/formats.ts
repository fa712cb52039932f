/** The export formats, in the order they are listed to users. */
export const EXPORT_FORMAT_NAMES = ['markdown', 'jsonld', 'imscc', 'imscc-1.1', 'imscc-lti', 'cmi5'] as const;
/** An export format name. */
export type ExportFormat = (typeof EXPORT_FORMAT_NAMES)[number];

/** What a format is and how its file is served. */
export interface ExportFormatInfo {
  format: ExportFormat;
  /** A short human description. */
  label: string;
  /** The `Content-Type` of the file. */
  contentType: string;
  /** What the file name ends with (appended to the path slug). */
  fileSuffix: string;
  /** Whether the body is binary (a zip) rather than UTF-8 text. */
  binary: boolean;
}

/** Every export format with its content type and file name suffix. */
export const EXPORT_FORMATS: readonly ExportFormatInfo[] = Object.freeze([
  { format: 'markdown', label: 'Markdown learning path document', contentType: 'text/markdown; charset=utf-8', fileSuffix: '.md', binary: false },
  { format: 'jsonld', label: 'schema.org Course as JSON-LD', contentType: 'application/ld+json; charset=utf-8', fileSuffix: '.jsonld', binary: false },
  { format: 'imscc', label: 'IMS Common Cartridge 1.3 (Canvas)', contentType: 'application/vnd.ims.imsccv1p3', fileSuffix: '.imscc', binary: true },
  { format: 'imscc-1.1', label: 'IMS Common Cartridge 1.1 (Moodle, Blackboard)', contentType: 'application/vnd.ims.imsccv1p1', fileSuffix: '.cc11.imscc', binary: true },
  { format: 'imscc-lti', label: 'IMS Common Cartridge 1.3 of LTI 1.3 links to this service', contentType: 'application/vnd.ims.imsccv1p3', fileSuffix: '.lti.imscc', binary: true },
  { format: 'cmi5', label: 'cmi5 course structure (cmi5.xml)', contentType: 'application/xml; charset=utf-8', fileSuffix: '.cmi5.xml', binary: false },
] satisfies ExportFormatInfo[]);

/** Whether `name` is a known export format. */
export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMAT_NAMES as readonly string[]).includes(name);
}

/** The descriptor of a format. */
export function exportFormatInfo(format: ExportFormat): ExportFormatInfo {
  return EXPORT_FORMATS.find((f) => f.format === format)!;
}

/** The file name of an export: the path slug plus the format's suffix (`batch-vs-stream.imscc`). */
export function exportFilename(slug: string, format: ExportFormat): string {
  return `${slug}${exportFormatInfo(format).fileSuffix}`;
}

/** An exported file. Text formats have a string body; archives have bytes. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: Uint8Array | string;
}
