import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '@learnpath/content';
import { launchChromium, listenApp } from './browser.js';

/** The screenshots of a path page: file names and viewport widths. */
export const SCREENSHOTS = [
  { file: 'learn-path-375.png', width: 375, height: 812 },
  { file: 'learn-path-1280.png', width: 1280, height: 900 },
] as const;

/**
 * Serves `catalog`, opens the path page of `slug` in Chromium at 375 and 1280 px, marks its
 * first resource done (so progress, next step and graph show), and writes full-page PNGs to `outDir`.
 */
export async function captureScreenshots(catalog: Catalog, slug: string, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const { app, base } = await listenApp(catalog);
  const browser = await launchChromium();
  const written: string[] = [];
  try {
    for (const shot of SCREENSHOTS) {
      const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, colorScheme: 'light' });
      const page = await context.newPage();
      await page.goto(`${base}/learn/${slug}`);
      await page.waitForSelector('html[data-learn-ready="true"]');
      const first = page.locator('button[data-mark]').first();
      await first.click();
      await page.waitForSelector('button[data-mark][aria-pressed="true"]');
      const file = join(outDir, shot.file);
      await page.screenshot({ path: file, fullPage: true });
      written.push(file);
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
  }
  return written;
}
