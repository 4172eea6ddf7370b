// The package entry of `minikubelet` (import { PodContainer } from 'minikubelet'): the
// testing library, and the types its API speaks in. The agent itself is the CLI (bin).
export * from './testing/index.js';
export type { Pod, PodStatus, ContainerStatus, PodPhase } from './apis/core/types.js';
export type { KubeletOptions } from './options.js';
