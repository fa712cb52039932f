// Tests that need a tool outside Node (xmllint, Chromium) run where it is installed. Without it
// they are skipped with the reason printed, except in CI, where a missing tool is an error: a
// green CI run means every test ran.

/**
 * Whether the tests that need `tool` must be skipped here: false when `missing` is null (the
 * tool is there); true after printing `missing` otherwise; throws when the CI variable is set.
 */
export function skipWithoutTool(tool: string, missing: string | null, env: NodeJS.ProcessEnv = process.env): boolean {
  if (missing === null) return false;
  if (env.CI) throw new Error(`${tool} is required when CI is set: ${missing}`);
  console.warn(`[skipped] tests that need ${tool}: ${missing}`);
  return true;
}
