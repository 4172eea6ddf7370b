// The agent's own API group, minikubelet/v1 (served beside the Kubernetes API under
// /minikubelet/v1): wire types shared by the server and the client.

/** One image pull in flight, as GET /minikubelet/v1/pulls lists them. */
export interface PullSnapshot {
  image: string;
  /** Pods (`namespace/name`) waiting for this pull. */
  pods: string[];
  /** `queued` until a pull slot is free, then `pulling`. */
  phase: 'queued' | 'pulling';
  startedAt: number;
  layers: { done: number; total: number };
  bytes: { current: number; total: number };
  /** Latest non-layer status line from the engine (e.g. `Pulling from private/app`). */
  status?: string;
}
