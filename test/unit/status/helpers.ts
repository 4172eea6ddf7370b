// Small builders for status tests (independent of the runtime's label code).
import type { Container, RestartPolicy, ValidPod } from '../../../src/apis/core/types.js';
import type { RuntimeContainer, RuntimePodStatus, RuntimeSandbox } from '../../../src/runtime/runtime.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export function mkPod(
  opts: {
    containers?: (string | Container)[];
    init?: string[];
    sidecars?: string[];
    restartPolicy?: RestartPolicy;
    deleting?: boolean;
  } = {},
): ValidPod {
  const c = (x: string | Container): Container => (typeof x === 'string' ? { name: x, image: 'busybox:1.36' } : x);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'uid-1',
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
    },
    spec: {
      containers: (opts.containers ?? ['app']).map(c),
      initContainers: [
        ...(opts.init ?? []).map((n) => c(n)),
        ...(opts.sidecars ?? []).map((n) => ({ ...c(n), restartPolicy: 'Always' as const })),
      ],
      restartPolicy: opts.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

let seq = 0;
export function run(name: string, over: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return {
    id: `id${++seq}`,
    name,
    type: 'container',
    sandboxId: 'sb0',
    restartCount: 0,
    hash: 'h',
    state: 'running',
    createdAt: '2026-01-01T00:00:01Z',
    startedAt: '2026-01-01T00:00:01.123456789Z',
    image: 'busybox:1.36',
    imageId: 'sha256:abc',
    ...over,
  };
}

export function exit(name: string, exitCode: number, over: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return run(name, { state: 'exited', exitCode, finishedAt: '2026-01-01T00:00:05Z', ...over });
}

export function sandbox(over: Partial<RuntimeSandbox> = {}): RuntimeSandbox {
  return { id: 'sb0', attempt: 0, state: 'running', ip: '10.244.0.2', createdAt: '2026-01-01T00:00:00.5Z', ...over };
}

export function rt(containers: RuntimeContainer[], sandboxes: RuntimeSandbox[] = [sandbox()]): RuntimePodStatus {
  return { uid: 'uid-1', name: 'web', namespace: 'default', sandboxes, containers };
}
