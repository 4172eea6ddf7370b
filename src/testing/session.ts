// testcontainers' session for what PodContainer creates: the labels every one of its
// containers carries (org.testcontainers, …lang, …version, …session-id, exactly as
// testcontainers 12.0.0 puts them on a GenericContainer), so the Ryuk reaper of this
// session removes them when the test process dies; and our owner label, with which the
// next run removes what a killed run left behind where no reaper runs.
import { hostname } from 'node:os';
import { getContainerRuntimeClient, getReaper, LABEL_TESTCONTAINERS_SESSION_ID } from 'testcontainers';
import { createLabels } from 'testcontainers/build/utils/labels.js';

/** On every container of the embedded agent: `<hostname>/<pid>` of the test process. */
export const OWNER_LABEL = 'io.minikubelet.testing.owner';

let session: Promise<Record<string, string>> | undefined;

/**
 * The session labels, once per process. getReaper starts (or joins) the session's Ryuk,
 * or with TESTCONTAINERS_RYUK_DISABLED=true only makes up the session id.
 */
export function sessionLabels(): Promise<Record<string, string>> {
  session ??= (async () => {
    const reaper = await getReaper(await getContainerRuntimeClient());
    return { ...createLabels(), [LABEL_TESTCONTAINERS_SESSION_ID]: reaper.sessionId };
  })();
  session.catch(() => {
    session = undefined;
  });
  return session;
}

export function ownerValue(pid = process.pid): string {
  return `${hostname()}/${pid}`;
}

/** Whether a process of this host named by an owner label is gone (another host's: unknown, so no). */
export function ownerIsGone(owner: string): boolean {
  const slash = owner.lastIndexOf('/');
  const pid = Number(owner.slice(slash + 1));
  if (owner.slice(0, slash) !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: it exists but is not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
