// pino logger factory. Redaction lists every path where a credential could travel,
// so a secret never reaches a log line even when a whole object is logged.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'auth',
  '*.auth',
  '*.*.auth',
  'authconfig',
  '*.authconfig',
  'token',
  '*.token',
  'registryAuth',
  '*.registryAuth',
  'headers.authorization',
  '*.headers.authorization',
  'secret.data',
  '*.secret.data',
  'data',
  '*.data',
  'stringData',
  '*.stringData',
  // Registry credentials (images/): Docker config documents and engine auth headers.
  'auths',
  '*.auths',
  '*.*.auths',
  'identitytoken',
  '*.identitytoken',
  'registrytoken',
  '*.registrytoken',
  'credentials',
  '*.credentials',
  'creds',
  '*.creds',
  'headers["x-registry-auth"]',
  '*.headers["x-registry-auth"]',
  '*["X-Registry-Auth"]',
];

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.MINIKUBELET_LOG_LEVEL ?? 'info';
  const redact = { paths: REDACT_PATHS, censor: '[REDACTED]' };
  const pretty = opts.pretty ?? (process.stderr.isTTY === true && !opts.destination);
  if (pretty) {
    return pino({
      level,
      redact,
      transport: {
        target: 'pino-pretty',
        options: { destination: 2, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({ level, redact }, (opts.destination as pino.DestinationStream | undefined) ?? pino.destination(2));
}

/** A logger that drops everything, for tests and library users who bring none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
