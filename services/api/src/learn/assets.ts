import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { precompress, type StaticAsset } from '../http/static-asset.js';

/** A file the learner pages load, compressed once and named by its content hash. */
export interface Asset extends StaticAsset {
  /** The file name with its hash, e.g. `learn.3f2a….js`. */
  name: string;
}

/** The assets of the learner pages. */
export interface LearnAssets {
  /** The page script: marks, progress, graph states. */
  page: Asset;
  /** The page script with the cmi5 assignable unit runtime, for LMS launches. */
  cmi5: Asset;
  stylesheet: Asset;
  /** Every asset by its hashed name. */
  byName: Map<string, Asset>;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

function makeAsset(stem: string, extension: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return {
    name: `${stem}.${hash}.${extension}`,
    type,
    body,
    ...precompress(body, 11),
    etag: `"${hash}"`,
  };
}

// The page runs the schema package's pure functions, never its zod schemas (see zod-stand-in.ts).
const zodStandIn: Plugin = {
  name: 'zod-stand-in',
  setup(build) {
    build.onResolve({ filter: /^zod(?:\/.*)?$/ }, () => ({ path: here('./zod-stand-in.ts') }));
  },
};

async function bundle(entry: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [here(entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    // ESM builds first: @xapi/xapi's "browser" field names a UMD file.
    mainFields: ['module', 'main'],
    // Workspace packages resolve to their TypeScript sources, which need no build (dist/ may be absent).
    conditions: ['source'],
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    // The workspace packages resolve to their TypeScript sources, as everywhere else in the repository.
    tsconfig: here('../../../../tsconfig.json'),
    plugins: [zodStandIn],
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

async function buildAssets(): Promise<LearnAssets> {
  const [pageJs, cmi5Js, css] = await Promise.all([bundle('./client/page-entry.ts'), bundle('./client/cmi5-entry.ts'), readFile(here('./learn.css'))]);
  const page = makeAsset('learn', 'js', 'text/javascript; charset=utf-8', pageJs);
  const cmi5 = makeAsset('cmi5', 'js', 'text/javascript; charset=utf-8', cmi5Js);
  const stylesheet = makeAsset('learn', 'css', 'text/css; charset=utf-8', css);
  return { page, cmi5, stylesheet, byName: new Map([page, cmi5, stylesheet].map((a) => [a.name, a])) };
}

let assets: Promise<LearnAssets> | undefined;

/** The assets, bundled from the TypeScript sources once per process on first use. */
export function loadLearnAssets(): Promise<LearnAssets> {
  assets ??= buildAssets().catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
}
