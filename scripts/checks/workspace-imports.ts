import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import that breaks a repository rule. */
export interface ImportViolation {
  /** The importing file, relative to the root. */
  file: string;
  line: number;
  specifier: string;
  rule: 'source-of-another-workspace' | 'production-imports-test-support';
}

const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.git']);
const CODE = /\.(?:[cm]?[jt]s|tsx)$/;
// Static imports and re-exports, dynamic imports and require calls with a literal specifier.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

function listCode(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listCode(full, out);
    else if (CODE.test(entry.name)) out.push(full);
  }
  return out;
}

/** Whether a file (relative to its workspace or the root) is a test or test support. */
export function isTestCode(path: string): boolean {
  const parts = path.split(/[\\/]/);
  return parts.some((p) => p === 'test' || p === 'test-support' || p === '__tests__') || /\.(?:test|fixture)\.[cm]?[jt]s$/.test(path);
}

/** Whether a file (relative to its workspace) ships: under `src/` and not a test. */
function isProductionCode(pathInWorkspace: string): boolean {
  return pathInWorkspace.split(/[\\/]/)[0] === 'src' && !isTestCode(pathInWorkspace);
}

/**
 * Every relative import under `root` that reaches into another workspace's `src/` (workspaces
 * use each other by package name), and every production file (under a workspace's `src/`, not
 * a test) that imports test code or test support.
 */
export function findImportViolations(root: string): ImportViolation[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const workspaces = (pkg.workspaces ?? []).map((w) => resolve(root, w)).sort((a, b) => b.length - a.length);
  const workspaceOf = (file: string): string => workspaces.find((w) => file === w || file.startsWith(w + sep)) ?? root;
  const violations: ImportViolation[] = [];
  for (const file of listCode(root)) {
    const from = workspaceOf(file);
    const production = from !== root && isProductionCode(relative(from, file));
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[2]!;
        if (!specifier.startsWith('.')) continue;
        const target = resolve(dirname(file), specifier);
        const to = workspaceOf(target);
        const inTarget = relative(to, target);
        const at = { file: relative(root, file), line: index + 1, specifier };
        if (to !== from && to !== root && inTarget.split(/[\\/]/)[0] === 'src') violations.push({ ...at, rule: 'source-of-another-workspace' });
        else if (production && isTestCode(inTarget)) violations.push({ ...at, rule: 'production-imports-test-support' });
      }
    });
  }
  return violations;
}
