// Event reasons, as the kubelet spells them (pkg/kubelet/events/event.go).
export const Reason = {
  Pulling: 'Pulling',
  Pulled: 'Pulled',
  Failed: 'Failed',
  BackOff: 'BackOff',
  InspectFailed: 'InspectFailed',
  ErrImageNeverPull: 'ErrImageNeverPull',
  Created: 'Created',
  Started: 'Started',
  Killing: 'Killing',
  Unhealthy: 'Unhealthy',
  ProbeWarning: 'ProbeWarning',
  FailedPostStartHook: 'FailedPostStartHook',
  FailedPreStopHook: 'FailedPreStopHook',
  SandboxChanged: 'SandboxChanged',
  FailedCreatePodSandBox: 'FailedCreatePodSandBox',
  DeadlineExceeded: 'DeadlineExceeded',
  FailedToRetrieveImagePullSecret: 'FailedToRetrieveImagePullSecret',
  FailedSync: 'FailedSync',
  FailedMount: 'FailedMount',
  FailedValidation: 'FailedValidation',
  /** The node lifecycle controller's event on each pod when it marks the pod not ready. */
  NodeNotReady: 'NodeNotReady',
} as const;
export type EventReason = (typeof Reason)[keyof typeof Reason];
