import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The structured logger. Secrets are removed here, by path, whatever a caller logs: keys,
 * passwords, authorization and cookie headers.
 */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: null,
    redact: {
      paths: [
        'key',
        'apiKey',
        'password',
        '*.key',
        '*.apiKey',
        '*.password',
        'headers.authorization',
        'headers.cookie',
        'req.headers.authorization',
        'req.headers.cookie',
        '*.headers.authorization',
        '*.headers["x-api-key"]',
        '*.headers["x-goog-api-key"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
