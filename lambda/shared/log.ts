/**
 * JSON log lines for Lambda handlers. Callers pass only identifiers and outcomes (secret ARN, version id, step,
 * error name): a `Logger` never receives a secret value, so none can reach CloudWatch Logs.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function jsonLogger(base: LogFields = {}, write: (line: string) => void = (line) => console.log(line)): Logger {
  const emit = (level: string, message: string, fields: LogFields = {}) =>
    write(JSON.stringify({ level, message, ...base, ...fields }));
  return {
    info: (message, fields) => emit('info', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
