// Proves the engine answers with a real API call (GET /version), bounded by a timeout.
// A socket file existing proves nothing: a dead daemon leaves it behind.
import http from 'node:http';
import https from 'node:https';
import type { EngineAddress } from '../util/docker-host.js';
import { dockerodeOptions } from '../runtime/docker-client.js';

export interface EngineVersion {
  version: string;
  apiVersion: string;
}

export function engineVersion(addr: EngineAddress, timeoutMs = 2000): Promise<EngineVersion> {
  return new Promise((resolve, reject) => {
    const common = { method: 'GET', path: '/version', timeout: timeoutMs, headers: { Host: 'docker' } };
    let req: http.ClientRequest;
    const onRes = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200)
          return reject(new Error(`GET /version: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
        try {
          const j = JSON.parse(body) as { Version?: string; ApiVersion?: string };
          resolve({ version: j.Version ?? 'unknown', apiVersion: j.ApiVersion ?? 'unknown' });
        } catch {
          reject(new Error(`GET /version: not JSON: ${body.slice(0, 200)}`));
        }
      });
      res.on('error', reject);
    };
    if (addr.kind === 'unix') {
      req = http.request({ ...common, socketPath: addr.socketPath }, onRes);
    } else if (addr.protocol === 'https') {
      const o = dockerodeOptions(addr);
      req = https.request(
        { ...common, host: addr.host, port: addr.port, ca: o.ca, cert: o.cert, key: o.key } as https.RequestOptions,
        onRes,
      );
    } else {
      req = http.request({ ...common, host: addr.host, port: addr.port }, onRes);
    }
    // 'timeout' fires on socket inactivity; destroy so a hung daemon cannot stall us.
    req.on('timeout', () => req.destroy(new Error(`no answer from the Docker engine within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
