import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/server-process.js';

// OpenAPI hygiene: the committed document (the one the service serves, as the drift test
// proves) passes Spectral's OpenAPI rules and the OWASP API Security ruleset.

const run = promisify(execFile);
const SPECTRAL = join(ROOT, 'node_modules/.bin/spectral');
const RULESET = join(ROOT, '.spectral.yaml');

interface SpectralResult {
  code: string;
  message: string;
  severity: number;
  path: string[];
}

/** Lints a document with the project's ruleset; resolves with every result (errors and warnings). */
async function lint(file: string, cwd = ROOT): Promise<SpectralResult[]> {
  const { stdout } = await run(SPECTRAL, ['lint', file, '--ruleset', RULESET, '--format', 'json', '--fail-severity', 'hint'], { cwd }).catch(
    (error: { stdout?: string; code?: number }) => {
      // Spectral exits 1 when it found something; the findings are on stdout all the same.
      if (error.code === 1 && error.stdout !== undefined) return { stdout: error.stdout };
      throw error;
    },
  );
  // The JSON array may be followed by a summary line.
  const start = stdout.indexOf('[');
  return start < 0 ? [] : (JSON.parse(stdout.slice(start, stdout.lastIndexOf(']') + 1)) as SpectralResult[]);
}

describe('OpenAPI lint (npm run lint:api)', () => {
  it('openapi/openapi.json has no errors and no warnings under the OWASP ruleset', async () => {
    const results = await lint('openapi/openapi.json');
    const report = results.map((r) => `${['error', 'warning', 'info', 'hint'][r.severity]} ${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(report).toEqual([]);
  });

  it('the ruleset is in force: a document with unbounded input fails it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-spectral-'));
    try {
      const document = {
        openapi: '3.1.0',
        info: { title: 'Unbounded', version: '1.0.0', description: 'A document that ignores every limit.' },
        paths: {
          '/items': {
            post: {
              operationId: 'createItem',
              description: 'Creates an item.',
              tags: ['items'],
              requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, count: { type: 'integer' } } } } } },
              responses: { '200': { description: 'Created.' } },
            },
          },
        },
        tags: [{ name: 'items', description: 'Items.' }],
      };
      await writeFile(join(dir, 'unbounded.json'), JSON.stringify(document));
      const codes = new Set((await lint('unbounded.json', dir)).filter((r) => r.severity === 0).map((r) => r.code));
      for (const code of ['owasp:api4:2023-string-limit', 'owasp:api4:2023-array-limit', 'owasp:api4:2023-integer-format', 'owasp:api4:2023-rate-limit', 'owasp:api2:2023-write-restricted']) {
        expect(codes, code).toContain(code);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('every rule the ruleset turns off says why, right above it', async () => {
    const lines = (await readFile(RULESET, 'utf8')).split('\n');
    let offs = 0;
    lines.forEach((line, index) => {
      const previous = lines[index - 1]?.trim() ?? '';
      if (/^ {2}[\w:.-]+: off\s*$/.test(line)) {
        offs++;
        expect(previous, `${line.trim()} needs a reason`).toMatch(/^#/);
      }
      if (/^ {2}- files:/.test(line)) expect(previous, `override at line ${index + 1} needs a reason`).toMatch(/^#/);
    });
    expect(offs).toBeGreaterThan(0);
  });

  it('npm run lint:api runs the same lint', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['lint:api']).toMatch(/^spectral lint openapi\/openapi\.json --ruleset \.spectral\.yaml/);
  });
});

describe('OpenAPI lint (redocly, recommended rules)', () => {
  it('openapi/openapi.json has no errors', async () => {
    const redocly = join(ROOT, 'node_modules/.bin/redocly');
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const { stdout, code } = await run(redocly, ['lint', 'openapi/openapi.json', '--config', 'redocly.yaml', '--format', 'json'], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 })
      .then((r) => ({ stdout: r.stdout, code: 0 }))
      .catch((error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', code: error.code ?? 1 }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { problems: { ruleId: string; severity: string; message: string }[] };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    // The only finding left: /healthz has no 4xx (it takes no input and is never rate limited).
    expect(report.problems.map((p) => p.ruleId)).toEqual(['operation-4xx-response']);
  }, 120_000);
});
