// `minikubelet label|annotate pod NAME k=v k2- [--overwrite]`: kubectl label/annotate over
// the same API (k8s.io/kubectl pkg/cmd/label/label.go, annotate/annotate.go): read the
// object, refuse to change an existing value without --overwrite, then a JSON merge patch
// of metadata.labels (or annotations) where null removes a key.
import { MERGE_PATCH } from '../client/api-client.js';
import { bool, wantsHelp } from './args.js';
import { connect, normaliseResource } from './client-verbs.js';

type Field = 'labels' | 'annotations';

const help = (verb: string, field: Field) => `Update the ${field} of a pod.

Usage:
  minikubelet ${verb} pod NAME KEY=VALUE ... [KEY-] ... [--overwrite] [-n NS]
  minikubelet ${verb} pod/NAME KEY=VALUE ...

KEY=VALUE sets a key, KEY- removes it. Changing an existing value needs --overwrite.

Examples:
  minikubelet ${verb} pod web tier=frontend
  minikubelet ${verb} --overwrite pod web tier=backend
  minikubelet ${verb} pod web tier-

Options:
      --overwrite        allow changing existing values
  -n, --namespace NS     the pod's namespace
      --kubeconfig FILE  the agent's kubeconfig
`;

export const LABEL_HELP = help('label', 'labels');
export const ANNOTATE_HELP = help('annotate', 'annotations');

export interface KeyChanges {
  set: Record<string, string>;
  remove: string[];
}

/** label.go parseLabels: `k=v` sets, `k-` removes; anything else is refused. */
export function parseKeyChanges(specs: string[], what: 'label' | 'annotation'): KeyChanges {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq > 0 && (what === 'annotation' || !spec.slice(eq + 1).includes('=')))
      set[spec.slice(0, eq)] = spec.slice(eq + 1);
    else if (eq < 0 && spec.endsWith('-') && spec.length > 1) remove.push(spec.slice(0, -1));
    else throw new Error(`invalid ${what} spec: ${spec}`);
  }
  for (const k of remove)
    if (Object.hasOwn(set, k))
      throw new Error(`can not both modify and remove the following ${what}(s) in the same command: ${k}`);
  if (Object.keys(set).length === 0 && remove.length === 0) throw new Error(`at least one ${what} update is required`);
  return { set, remove };
}

/**
 * The merge patch for these changes against the current keys, or the refusal
 * (`'k' already has a value (v), and --overwrite is false`, label.go validateNoOverwrites).
 * Removing a key that is not there is only a warning.
 */
export function keyPatch(
  current: Record<string, string> | undefined,
  c: KeyChanges,
  o: { overwrite: boolean; field: Field },
): { patch: Record<string, string | null>; warnings: string[]; changed: boolean } {
  const have = current ?? {};
  if (!o.overwrite) {
    const clashes = Object.entries(c.set).filter(([k, v]) => Object.hasOwn(have, k) && have[k] !== v);
    if (clashes.length)
      throw new Error(
        clashes.map(([k]) => `'${k}' already has a value (${have[k]}), and --overwrite is false`).join(', '),
      );
  }
  const patch: Record<string, string | null> = { ...c.set };
  const warnings: string[] = [];
  const singular = o.field === 'labels' ? 'label' : 'annotation';
  for (const k of c.remove) {
    if (Object.hasOwn(have, k)) patch[k] = null;
    else warnings.push(`${singular} "${k}" not found.`);
  }
  const changed = Object.entries(patch).some(([k, v]) => (v === null ? Object.hasOwn(have, k) : have[k] !== v));
  return { patch, warnings, changed };
}

function keysVerb(verb: 'label' | 'annotate', field: Field, helpText: string) {
  return async (argv: string[]): Promise<number> => {
    if (wantsHelp(argv)) {
      process.stdout.write(helpText);
      return 0;
    }
    const { client, namespace, p } = connect(argv, { overwrite: { type: 'boolean' } });
    const [resource, ...rest] = p.positionals;
    const [kind, slashName] = (resource ?? '').split('/', 2);
    if (normaliseResource(kind) !== 'pods') throw new Error(`the server doesn't have a resource type "${kind ?? ''}"`);
    const name = slashName ?? rest.shift();
    if (!name) throw new Error('one or more resources must be specified as <resource> <name> or <resource>/<name>');
    const what = field === 'labels' ? 'label' : 'annotation';
    const changes = parseKeyChanges(rest, what);
    const pod = await client.getPod(namespace, name);
    const { patch, warnings, changed } = keyPatch(pod.metadata[field], changes, {
      overwrite: bool(p, 'overwrite'),
      field,
    });
    for (const w of warnings) process.stderr.write(`${w}\n`);
    if (changed) {
      await client.patchObject(
        namespace,
        'pods',
        name,
        { metadata: { [field]: patch } },
        {
          contentType: MERGE_PATCH,
          fieldManager: `minikubelet-${verb}`,
        },
      );
    }
    const done = verb === 'label' ? 'labeled' : 'annotated';
    process.stdout.write(`pod/${name} ${changed || verb === 'annotate' ? done : `not ${done}`}\n`);
    return 0;
  };
}

export const label = keysVerb('label', 'labels', LABEL_HELP);
export const annotate = keysVerb('annotate', 'annotations', ANNOTATE_HELP);
