// Errors the runtime and the sync both name, so the sync can tell the kubelet's
// reasons apart: a bad container config (kubelet_pods.go makeEnvironmentVariables,
// makeMounts → CreateContainerConfigError) from a volume that cannot be set up
// (operationexecutor MountVolume.SetUp → FailedMount, the pod stays ContainerCreating).

/** The container cannot be configured; the message is what the user sees. */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

/** A pod volume could not be set up (e.g. a hostPath type check failed). */
export class VolumeSetUpError extends Error {
  override readonly name = 'VolumeSetUpError';
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(message);
  }

  /** The FailedMount event text (VolumeToMount.GenerateError: note the space before the colon). */
  get eventMessage(): string {
    return `MountVolume.SetUp failed for volume "${this.volume}" : ${this.message}`;
  }
}
