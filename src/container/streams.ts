// The streams of an interactive exec or attach (the CRI's Exec/Attach with their
// streaming server, here in-process): what the runtime hands out and the HTTP API
// relays over WebSocket or SPDY. Neutral types shared by runtime/ and server/.
import type { Readable, Writable } from 'node:stream';

export interface StreamRequest {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** With a TTY, stderr is merged into stdout (one terminal), as in Kubernetes. */
  tty: boolean;
}

export interface ContainerStreams {
  /** end() closes the process's stdin (EOF), which is how `cat` or `tar xf -` finish. */
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  /** Resize the TTY (no-op without one); errors are swallowed: a late resize is harmless. */
  resize(width: number, height: number): void;
  /**
   * Settles when the output has ended: exec resolves with the process's exit code,
   * attach with undefined (the container's exit goes through the pod's status).
   */
  exited: Promise<number | undefined>;
  /** Stop relaying (client gone); the process itself is not killed (neither is it by the kubelet). */
  close(): void;
}
