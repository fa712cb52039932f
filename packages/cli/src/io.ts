/** Where a command writes and what it resolves relative paths against; tests can pass their own. */
export interface CliIo {
  /** Writes to standard output as given (include the newline). Bytes pass through untouched. */
  stdout: (chunk: string | Uint8Array) => void;
  /** Writes to standard error as given (include the newline). */
  stderr: (chunk: string) => void;
  /** The working directory relative paths are resolved against. */
  cwd: string;
}

/** The io of the running process. */
export function processIo(): CliIo {
  return {
    stdout: (chunk) => void process.stdout.write(chunk),
    stderr: (chunk) => void process.stderr.write(chunk),
    cwd: process.cwd(),
  };
}

/** Exit codes: 0 success, 1 content problems (errors found, file exists), 2 wrong usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
