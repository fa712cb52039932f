// Errors that refuse a request are the client's to fix, not faults of the service: they capture
// no stack. Hostile clients send thousands a second, and every wrapper that reads a stack (as
// mercurius does when it wraps an error) would format its frames, source-mapped under tsx.

/** `make()`, with no stack captured by the errors it constructs. */
export function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The base of the service's errors that refuse a request: no stack is captured. */
export class RefusalError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}
