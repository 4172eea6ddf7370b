// How the CLI prints results and errors, following kubectl's conventions.
import { yaml } from '../util/yaml.js';
import { KubeletError, ValidationError, errorMessage, formatFieldError } from '../util/errors.js';

export function printObject(obj: unknown, format: 'json' | 'yaml'): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(obj, null, 4)}\n` : yaml().stringify(obj));
}

/** kubectl's wording: `Error from server (NotFound): pods "x" not found`. */
export function formatError(err: unknown): string {
  if (err instanceof ValidationError) {
    return `The ${err.kind} "${err.objectName}" is invalid: \n${err.fieldErrors.map((e) => `* ${formatFieldError(e)}`).join('\n')}`;
  }
  const fromServer = err instanceof KubeletError && (err as { fromServer?: boolean }).fromServer;
  // kubectl's StandardErrorMessage (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go) for a 401.
  if (fromServer && err.code === 'Unauthorized') return `error: You must be logged in to the server (${err.message})`;
  if (fromServer) {
    return `Error from server (${err.code}): ${err.message}`;
  }
  return `error: ${errorMessage(err)}`;
}
