// One resourceVersion counter for every kind the agent serves (Pods, Events,
// Secrets, ConfigMaps), like etcd's single revision behind kube-apiserver: a watch
// of any kind can resume from any version the server handed out.
export class ResourceVersions {
  #rv = 0;
  next(): string {
    return String(++this.#rv);
  }
  current(): string {
    return String(this.#rv);
  }
}
