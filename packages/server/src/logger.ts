import pino, { type Logger } from 'pino';

/**
 * Structured logs that never carry secrets: cookies, tokens, codes, PINs and message bodies are
 * redacted by path, and request logs hold only method, path and status.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'res.headers["set-cookie"]',
          '*.code',
          '*.pin',
          '*.token',
          '*.claimCode',
          '*.text',
          '*.body',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { method?: string; url?: string }) => ({
          method: req.method,
          path: req.url?.split('?')[0],
        }),
      },
    },
    destination,
  );
}
