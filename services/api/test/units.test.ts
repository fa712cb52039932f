import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCatalog, loadCatalog } from '@learnpath/content';
import { ProgressRequestSchema, toDocument } from '@learnpath/schema';
import { CatalogStore } from '../src/catalog/store.js';
import { readServerConfig } from '../src/config.js';
import { decodeCursor, encodeCursor } from '../src/catalog/cursor.js';
import { excerptOf } from '../src/catalog/excerpt.js';
import { mermaidLabel } from '../src/rest/mermaid.js';
import { ProblemError } from '../src/http/problem.js';
import { memoizedValidatorCompiler } from '../src/plugins/validator.js';
import { watchContent } from '../src/catalog/watch.js';
import { PathListQuerySchema } from '../src/rest/schemas.js';
import { seedPath } from './support/fixtures.js';
import { waitForState } from './support/catalog-events.js';

describe('cursor', () => {
  it('round-trips a key and rejects tampering and other queries', () => {
    const cursor = encodeCursor('abc', ['Title', 'slug']);
    expect(decodeCursor(cursor, 'abc')).toEqual(['Title', 'slug']);
    expect(() => decodeCursor(cursor, 'other')).toThrow(ProblemError);
    expect(() => decodeCursor(`${cursor}x`, 'abc')).toThrow(ProblemError);
    expect(() => decodeCursor(Buffer.from('{"v":1,"f":"abc","k":[{},1]}').toString('base64url'), 'abc')).toThrow(ProblemError);
  });
});

describe('excerptOf', () => {
  it('keeps short text, strips markers and cuts long text at a word', () => {
    expect(excerptOf('# Heading\n\nNot this')).toBe('Heading');
    expect(excerptOf('Use `code`, *emphasis* and [links](https://x.example).')).toBe('Use code, emphasis and links.');
    expect(excerptOf('Rename snake_case_names; 2*3*4 is 24.')).toBe('Rename snake_case_names; 2*3*4 is 24.');
    const long = excerptOf('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(201);
    expect(long.endsWith('word…')).toBe(true);
    expect(excerptOf('')).toBe('');
  });
});

describe('mermaidLabel', () => {
  it('quotes and escapes everything that could end the label or inject markup', () => {
    expect(mermaidLabel('a "b" <i>c</i> & #d `e`\nf')).toBe('"a #34;b#34; #60;i#62;c#60;/i#62; #38; #35;d #96;e#96; f"');
  });
});

describe('readServerConfig', () => {
  // A working folder with the content folder and catalog file the settings point at.
  const root = mkdtempSync(join(tmpdir(), 'learnpath-config-'));
  mkdirSync(join(root, 'content'));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'catalog.json'), '{"paths":[]}');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('has the documented defaults', () => {
    const config = readServerConfig({}, [], root);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      source: { kind: 'dir', dir: join(root, 'content') },
      watch: false,
      corsOrigins: '*',
      cacheControl: 'public, max-age=60',
      logLevel: 'info',
      logRequests: false,
      rateLimit: { max: 1000, timeWindow: '1 minute', allowList: [] },
      timeouts: { requestMs: 30_000, headersMs: 10_000, connectionMs: 60_000 },
      publicBaseUrl: undefined,
      trustProxy: false,
      cmi5LrsOrigins: [],
    });
  });

  it('reads every variable and --watch', () => {
    const config = readServerConfig(
      {
        HOST: '0.0.0.0',
        PORT: '8080',
        CATALOG_FILE: 'dist/catalog.json',
        CORS_ORIGINS: 'https://a.example, https://b.example',
        CACHE_CONTROL: 'no-cache',
        LOG_LEVEL: 'warn',
        LOG_REQUESTS: 'true',
        RATE_LIMIT_MAX: '100',
        RATE_LIMIT_WINDOW: '60000',
        TRUST_PROXY: '1',
        CONTENT_DIR: '',
      },
      ['--watch'],
      root,
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      source: { kind: 'file', file: join(root, 'dist', 'catalog.json') },
      watch: true,
      corsOrigins: ['https://a.example', 'https://b.example'],
      cacheControl: 'no-cache',
      logLevel: 'warn',
      logRequests: true,
      rateLimit: { max: 100, timeWindow: 60000 },
      trustProxy: true,
    });
  });

  it('rejects invalid settings and unknown arguments with a readable message', () => {
    expect(() => readServerConfig({ PORT: '70000' }, [])).toThrow(/PORT/);
    expect(() => readServerConfig({ LOG_LEVEL: 'loud' }, [])).toThrow(/LOG_LEVEL/);
    expect(() => readServerConfig({}, ['--wacth'])).toThrow(/--wacth/);
  });
});

describe('watchContent', () => {
  it('swaps in good content, keeps the last good catalog on errors, and coalesces bursts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-watch-'));
    const file = join(dir, 'seed.json');
    const write = (title: string): Promise<void> => writeFile(file, JSON.stringify({ ...toDocument(seedPath), title }));
    await write('Version 1');
    const first = await loadCatalog(dir);
    const store = new CatalogStore(first.catalog!);
    let loads = 0;
    const logged: string[] = [];
    const logger = { info: (...a: unknown[]) => logged.push(String(a.at(-1))), warn: () => undefined, error: (...a: unknown[]) => logged.push(String(a.at(-1))) };
    const watcher = watchContent({
      store,
      target: dir,
      debounceMs: 50,
      load: () => {
        loads++;
        return loadCatalog(dir);
      },
      logger: logger as never,
    });
    try {
      await watcher.ready;
      // A burst of edits becomes one reload of the final state.
      for (let i = 2; i <= 6; i++) await write(`Version ${i}`);
      await waitForState(store, (state) => state.catalog.paths.get(seedPath.slug)?.title === 'Version 6');
      await watcher.idle();
      expect(store.catalog.paths.get(seedPath.slug)!.title).toBe('Version 6');
      expect(loads).toBeLessThanOrEqual(2);

      const good = store.catalog;
      await writeFile(file, '{ "title": ');
      await waitForState(store, (state) => state.stale);
      await watcher.idle();
      expect(store.catalog).toBe(good);
      expect(store.state.stale).toBe(true);
      expect(store.state.diagnostics.length).toBeGreaterThan(0);
      expect(logged.some((l) => l.includes('still serving the last good content'))).toBe(true);

      await write('Version 7');
      await waitForState(store, (state) => !state.stale);
      await watcher.idle();
      expect(store.state.stale).toBe(false);
      expect(store.catalog.paths.get(seedPath.slug)!.title).toBe('Version 7');
    } finally {
      await watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves an unchanged catalog in place (same version, no swap)', async () => {
    const store = new CatalogStore(createCatalog([seedPath]));
    let swaps = 0;
    store.subscribe(() => swaps++);
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-watch-'));
    let loaded!: () => void;
    const reloaded = new Promise<void>((resolve) => (loaded = resolve));
    const load = async () => {
      loaded();
      return { catalog: createCatalog([seedPath]), diagnostics: [], paths: [seedPath], fileCount: 1 };
    };
    const watcher = watchContent({ store, target: dir, debounceMs: 20, load, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } as never });
    try {
      await watcher.ready;
      await writeFile(join(dir, 'touch.txt'), 'x');
      await reloaded;
      await watcher.idle();
      expect(swaps).toBe(0);
    } finally {
      await watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('memoizedValidatorCompiler', () => {
  const compile = (schema: unknown, httpPart: string) =>
    memoizedValidatorCompiler({ schema, httpPart, method: 'GET', url: '/x' } as never) as (data: unknown) => { value?: unknown; error?: unknown };

  it('gives the same results as zod for query strings, sharing one frozen value per input', () => {
    const validate = compile(PathListQuerySchema, 'querystring');
    const first = validate({ limit: '5' });
    const second = validate({ limit: '5' });
    expect(first.value).toEqual({ limit: 5 });
    expect(second.value).toBe(first.value);
    expect(Object.isFrozen(first.value)).toBe(true);
    expect(validate({ limit: '500' }).error).toBeDefined();
    expect(validate({ limit: '500' }).error).toBeDefined();
    // Unknown parameters are dropped, so the validated query is the same.
    expect(validate({ limit: '5', extra: '1' }).value).toEqual(first.value);
  });

  it('never memoises bodies', () => {
    const validate = compile(ProgressRequestSchema, 'body');
    const a = validate({ completed: [] });
    const b = validate({ completed: [] });
    expect(a.value).toEqual(b.value);
    expect(a.value).not.toBe(b.value);
  });
});
