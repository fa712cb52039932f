import * as content from '@learnpath/content';
import type { LearningPath } from '@learnpath/schema';
import { exportFilename, exportFormatInfo, type ExportFile } from './formats.js';

type Renderer = (path: LearningPath) => string;

/** Exports the path as a Markdown learning path document (the content package's renderer). */
export function exportMarkdown(path: LearningPath): ExportFile {
  const render = (content as unknown as { renderPathDocument?: Renderer }).renderPathDocument;
  if (render === undefined) throw new Error('the Markdown renderer (renderPathDocument) is not available in @learnpath/content');
  return { filename: exportFilename(path.slug, 'markdown'), contentType: exportFormatInfo('markdown').contentType, body: render(path) };
}
