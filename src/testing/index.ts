// The testing library's public API (the package entry re-exports it).
export { PodContainer, StartedPodContainer, type NetworkLike } from './pod-container.js';
export { Wait, PodWait, PodWaitStrategy, type ProbeKind, type WaitContext, type WaitResult } from './wait.js';
export type { ExecResult } from './exec.js';
export type { PodSource } from './manifests.js';
export { configureEmbeddedAgent, stopEmbeddedAgent, KUBECONFIG_ENV } from './agent.js';
export { OWNER_LABEL } from './session.js';
