/**
 * The client's logging: a console-shaped logger and a level. Nothing is logged below the level,
 * every line is built from redacted values, and a logger that throws never fails a call.
 */
import { GrantexConfigurationError } from '../errors.js';
import type { Logger, LogLevel } from '../core/options.js';
import { readEnv } from './env.js';



const ORDER: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/** A logger that drops every line below `level`. */
export function levelled(logger: Logger | undefined, levelOption: LogLevel | undefined): { logger: Logger; level: LogLevel } {
  const fromEnv = readEnv('GRANTEX_LOG');
  const level = levelOption ?? (fromEnv as LogLevel | undefined) ?? 'warn';
  if (!ORDER.includes(level)) {
    throw new GrantexConfigurationError(`logLevel must be one of ${ORDER.join(', ')}${levelOption === undefined ? ' (read from GRANTEX_LOG)' : ''}`);
  }
  const base = logger ?? console;
  const rank = ORDER.indexOf(level);
  // A logger is an observer, like a hook: one that throws (a closed stream, a bad transport) must not
  // fail or retry the call it reports on, so its errors end here.
  const at = (name: Exclude<LogLevel, 'off'>) =>
    ORDER.indexOf(name) <= rank
      ? (message: string) => {
          try {
            base[name](message);
          } catch {
            // Nowhere safer to report it: the logger is the reporting channel.
          }
        }
      : () => {};
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, level };
}
