// Who may do what, decided after authentication as kube-apiserver does: the request's
// attributes (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go
// RequestInfoFactory.NewRequestInfo) and a decision on them. The agent's admin token may do
// everything (system:masters); a ServiceAccount token gets what a read-only role bound in
// its own namespace would give, plus the discovery paths every authenticated user may read
// (the system:discovery, system:basic-user and system:public-info-viewer cluster roles).
// Everything else is Forbidden with the API server's message
// (pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage, apierrors.NewForbidden).

/** An authenticated caller. */
export interface Principal {
  username: string;
  groups: string[];
  /** Set for a ServiceAccount token: its namespace (the only one it may read). */
  serviceAccountNamespace?: string;
}

export const ADMIN: Principal = { username: 'minikubelet-admin', groups: ['system:masters', 'system:authenticated'] };

export interface RequestAttributes {
  verb: string;
  isResourceRequest: boolean;
  /** The URL path (non-resource requests are authorized by it). */
  path: string;
  apiGroup: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const METHOD_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};
/** Subresources of a namespace itself, not resources inside it (requestinfo.go namespaceSubresources). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
/**
 * Streaming subresources: always `create`, whatever the method. A WebSocket exec is a GET,
 * and kube-apiserver 1.32 checks `create` on it too (AuthorizePodWebsocketUpgradeCreatePermission).
 */
const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

/**
 * RequestInfoFactory.NewRequestInfo for the paths this agent serves: the core group under
 * /api/v1 and the named groups under /apis/<group>/<version> (storage.k8s.io,
 * metrics.k8s.io). `/apis`, `/apis/<group>` and `/apis/<group>/<version>` are discovery,
 * not resources.
 */
export function requestAttributes(method: string, path: string, query: URLSearchParams): RequestAttributes {
  const verb = METHOD_VERBS[method.toUpperCase()] ?? method.toLowerCase();
  const base: RequestAttributes = {
    verb,
    isResourceRequest: false,
    path,
    apiGroup: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
  const core = /^\/api\/v1\/(.+)$/.exec(path);
  const named = /^\/apis\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
  const rest = core?.[1] ?? named?.[3];
  if (rest === undefined) return base;
  let parts = rest
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode);
  const out: RequestAttributes = { ...base, isResourceRequest: true, apiGroup: named ? safeDecode(named[1]!) : '' };
  if (parts[0] === 'namespaces' && parts.length > 1) {
    out.namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  out.resource = parts[0] ?? '';
  if (parts.length >= 2) out.name = parts[1]!;
  if (parts.length >= 3) out.subresource = parts[2]!;
  if (out.name === '' && verb === 'get') {
    const w = query.get('watch');
    out.verb = w === 'true' || w === '1' ? 'watch' : 'list';
  }
  if (out.name === '' && verb === 'delete') out.verb = 'deletecollection';
  if (out.resource === 'pods' && CONNECT_SUBRESOURCES.has(out.subresource)) out.verb = 'create';
  return out;
}

/** Read-only verbs of the ServiceAccount role. */
const READ_VERBS = new Set(['get', 'list', 'watch']);
/**
 * What a ServiceAccount may read in its own namespace. Secrets are left out on purpose:
 * a token that reads Secrets reads every other identity's credentials (see the notes).
 */
const SA_READABLE = new Set(['pods', 'pods/log', 'pods/status', 'events', 'configmaps', 'serviceaccounts']);
/** Paths every authenticated user may GET (system:discovery, system:public-info-viewer). */
const PUBLIC_PATHS = [
  /^\/api(\/v1)?\/?$/,
  /^\/apis(\/[^/]+(\/[^/]+)?)?\/?$/,
  /^\/version\/?$/,
  /^\/openapi(\/.*)?$/,
  /^\/(healthz|livez|readyz)$/,
];

export type Decision = { allowed: true } | { allowed: false; message: string; resource: string; name: string };

export function authorize(user: Principal, a: RequestAttributes): Decision {
  if (user.groups.includes('system:masters')) return { allowed: true };
  if (!a.isResourceRequest) {
    if (a.verb === 'get' && PUBLIC_PATHS.some((re) => re.test(a.path))) return { allowed: true };
    return deny(user, a);
  }
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const ns = user.serviceAccountNamespace;
  // Core-group resources only: `pods` of metrics.k8s.io are not the pods of this role.
  const inRole = a.apiGroup === '' && a.resource !== 'namespaces' && SA_READABLE.has(resource);
  if (ns !== undefined && a.namespace === ns && READ_VERBS.has(a.verb) && inRole) return { allowed: true };
  return deny(user, a);
}

function deny(user: Principal, a: RequestAttributes): Decision {
  // responsewriters.Forbidden escapes what a browser would read as markup (its `sanitizer`).
  const why = forbiddenMessage(user, a).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  // apierrors.NewForbidden: `forbidden: …` without a resource, `<resource> is forbidden: …`,
  // or `<resource> "<name>" is forbidden: …`.
  let message: string;
  // schema.GroupResource.String(): `pods`, or `pods.metrics.k8s.io` for a named group.
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  if (!a.isResourceRequest || a.resource === '') message = `forbidden: ${why}`;
  else if (a.name === '') message = `${qualified} is forbidden: ${why}`;
  else message = `${qualified} ${JSON.stringify(a.name)} is forbidden: ${why}`;
  return { allowed: false, message, resource: a.resource, name: a.name };
}

/** responsewriters/errors.go forbiddenMessage. */
export function forbiddenMessage(user: Principal, a: RequestAttributes): string {
  const who = JSON.stringify(user.username);
  if (!a.isResourceRequest) return `User ${who} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const group = JSON.stringify(a.apiGroup);
  if (a.namespace)
    return `User ${who} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${group} in the namespace ${JSON.stringify(a.namespace)}`;
  return `User ${who} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${group} at the cluster scope`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
