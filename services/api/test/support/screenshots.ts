import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Catalog } from '@learnpath/content';
import { launchChromium } from './browser.js';
import { listenApp } from './listening-app.js';

/** The screenshots of a path page: file names and viewport widths. */
export const SCREENSHOTS = [
  { file: 'learn-path-375.png', width: 375, height: 812 },
  { file: 'learn-path-1280.png', width: 1280, height: 900 },
] as const;

/**
 * Opens the path page of `slug` served at `base` at 375 and 1280 px, marks its first resource
 * done (so progress, next step and graph show), and writes full-page PNGs to `outDir`.
 */
export async function screenshotPathPage(browser: Browser, base: string, slug: string, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const shot of SCREENSHOTS) {
    const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, colorScheme: 'light' });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/learn/${slug}`);
      await page.waitForSelector('html[data-learn-ready="true"]');
      await page.locator('button[data-mark]').first().click();
      await page.waitForSelector('button[data-mark][aria-pressed="true"]');
      const file = join(outDir, shot.file);
      await page.screenshot({ path: file, fullPage: true });
      written.push(file);
    } finally {
      await context.close();
    }
  }
  return written;
}

/** Serves `catalog`, starts Chromium and takes the screenshots of `screenshotPathPage`. */
export async function captureScreenshots(catalog: Catalog, slug: string, outDir: string): Promise<string[]> {
  const { app, base } = await listenApp({ catalog });
  try {
    const browser = await launchChromium();
    try {
      return await screenshotPathPage(browser, base, slug, outDir);
    } finally {
      await browser.close();
    }
  } finally {
    await app.close();
  }
}
