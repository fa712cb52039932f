import type { FastifyServerOptions } from 'fastify';
import { build as createPrettyStream } from 'pino-pretty';

/** Options of `createLoggerOptions`. */
export interface LoggerSettings {
  /** The log level. */
  level: string;
  /** Human-readable lines (a person at a terminal) rather than one JSON object per line (a log collector). */
  pretty: boolean;
  /** Where the lines go. Default: standard output. */
  destination?: NodeJS.WritableStream;
}

/**
 * The service's logger: one JSON object per line for log collectors, or, at a terminal,
 * readable lines (time, level, message) written synchronously, so that nothing logged just
 * before an exit is lost.
 */
export function createLoggerOptions(settings: LoggerSettings): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  const { level, pretty, destination } = settings;
  if (!pretty) return destination ? { level, stream: destination } : { level };
  return {
    level,
    stream: createPrettyStream({
      sync: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
      singleLine: true,
      ...(destination ? { destination, colorize: false } : {}),
    }),
  };
}
