import { renderPathDocument } from '@learnpath/content';
import type { LearningPath } from '@learnpath/schema';
import { exportFilename, exportFormatInfo, type ExportFile } from './formats.js';

/** Exports the path as a Markdown learning path document (the content package's renderer). */
export function exportMarkdown(path: LearningPath): ExportFile {
  return { filename: exportFilename(path.slug, 'markdown'), contentType: exportFormatInfo('markdown').contentType, body: renderPathDocument(path) };
}
