// tcpSocket probe (pkg/probe/tcp): a TCP dial within the timeout. Connected → success
// (closed at once); any error → failure with Go's dial error text.
import { connect } from 'node:net';
import { joinHostPort } from '../target.js';
import { goDialError, type ProbeOutcome } from './outcome.js';

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const hostPort = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(
      () => finish({ result: 'failure', output: `dial tcp ${hostPort}: i/o timeout` }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ result: 'success', output: '' }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish({ result: 'failure', output: goDialError(err.code, hostPort, `dial tcp ${hostPort}: ${err.message}`) }),
    );
  });
}
