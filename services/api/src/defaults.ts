import type { RateLimitOptions } from './plugins/external/rate-limit.js';
import type { TimeoutOptions } from './plugins/timeouts.js';

// The defaults live apart from the modules that use them so that the settings can be checked
// at start-up before the framework is loaded.

/** The default Cache-Control of cacheable responses. */
export const DEFAULT_CACHE_CONTROL = 'public, max-age=60';

/** The default rate limit: 1000 requests per client address and minute. */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = { max: 1000, timeWindow: '1 minute' };

/** The default timeouts: 30 s for a whole request, 10 s for its headers, 60 s idle. */
export const DEFAULT_TIMEOUTS: Readonly<Required<TimeoutOptions>> = { requestMs: 30_000, headersMs: 10_000, connectionMs: 60_000 };
