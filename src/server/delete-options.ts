// DeleteOptions, as a DELETE carries them: in the query (`gracePeriodSeconds`,
// `dryRun`) or in an optional body (`kubectl delete` sends
// `{"kind":"DeleteOptions","propagationPolicy":…,"dryRun":["All"]}`); the body wins
// for the grace period, as the API server's decoding of both does
// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/delete.go).
import type { IncomingMessage } from 'node:http';
import { KubeletError } from '../util/errors.js';
import { dryRunParam } from './dry-run.js';
import { intParam, readBody } from './http-util.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  dryRun: boolean;
}

export async function readDeleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const body = await readBody(req, { optional: true });
  let grace = intParam(query, 'gracePeriodSeconds');
  let bodyDryRun: unknown;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body))
      throw new KubeletError('BadRequest', 'DeleteOptions must be an object');
    const g = (body as { gracePeriodSeconds?: unknown }).gracePeriodSeconds;
    if (g !== undefined && g !== null) {
      if (typeof g !== 'number' || !Number.isInteger(g))
        throw new KubeletError('BadRequest', 'DeleteOptions.gracePeriodSeconds must be an integer');
      grace = g;
    }
    bodyDryRun = (body as { dryRun?: unknown }).dryRun;
  }
  const dryRun = dryRunParam(query, 'DeleteOptions', bodyDryRun);
  if (grace !== undefined && grace < 0)
    throw new KubeletError('BadRequest', `gracePeriodSeconds: Invalid value: ${grace}: must be >= 0`);
  return { ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}), dryRun };
}
