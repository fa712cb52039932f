import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { Catalog } from '@learnpath/content';
import { buildApp, type App } from '../../src/app.js';

/** Where Chromium is installed on this machine and in CI. */
export const CHROMIUM = '/usr/bin/chromium';
/** Whether Chromium is there; CI requires it. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing, but CI requires the browser tests`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** The service listening on 127.0.0.1 and a free port, without rate limits. */
export async function listenApp(catalog: Catalog): Promise<{ app: App; base: string }> {
  const app = await buildApp({ catalog, rateLimit: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}
