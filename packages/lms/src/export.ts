import type { LearningPath } from '@learnpath/schema';
import { exportCmi5 } from './cmi5.js';
import { exportCommonCartridge } from './common-cartridge.js';
import type { ExportFile, ExportFormat } from './formats.js';
import { exportJsonLd } from './json-ld.js';
import { exportLtiCartridge } from './lti-cartridge.js';
import { exportMarkdown } from './markdown.js';
import { ExportOptionsError } from './options.js';

/** Options shared by every format (each format uses what applies to it). */
export interface ExportOptions {
  /** The service's base URL (`https://learn.example.com`); required for cmi5, optional elsewhere. */
  baseUrl?: string;
  /** Base of cmi5 IRIs; defaults to `baseUrl`. */
  baseIri?: string;
  /** Language of the metadata (BCP 47, default `en`). */
  language?: string;
  /** imscc-lti: one LTI link per phase instead of one per path. */
  perPhase?: boolean;
}

/**
 * Exports a path in one of the formats of `EXPORT_FORMATS`. Pure: the same path and options
 * always give the same bytes. Throws `ExportOptionsError` when the options do not fit the
 * format (cmi5 without `baseUrl`, a malformed URL or language).
 */
export function exportPath(path: LearningPath, format: ExportFormat, options: ExportOptions = {}): ExportFile {
  switch (format) {
    case 'markdown':
      return exportMarkdown(path);
    case 'jsonld':
      return exportJsonLd(path, options);
    case 'imscc':
      return exportCommonCartridge(path, { ...options, version: '1.3' });
    case 'imscc-1.1':
      return exportCommonCartridge(path, { ...options, version: '1.1' });
    case 'imscc-lti':
      if (options.baseUrl === undefined) throw new ExportOptionsError('the imscc-lti export needs a base URL (baseUrl): its links launch the Learnpath service');
      return exportLtiCartridge(path, { ...options, baseUrl: options.baseUrl });
    case 'cmi5':
      if (options.baseUrl === undefined) throw new ExportOptionsError('the cmi5 export needs a base URL (baseUrl)');
      return exportCmi5(path, { ...options, baseUrl: options.baseUrl });
  }
}
