// Container image references, after Docker's distribution/reference grammar
// (vendor/github.com/distribution/reference/normalize.go, used upstream through
// pkg/util/parsers):  [domain[:port]/]path-component(/path-component)*[:tag][@digest]
// The API server never validates image syntax (the kubelet reports InvalidImageName
// at start time); API defaulting (apis/core) and the image manager both parse with it,
// so it lives below both.

export interface ImageRef {
  /** Registry host[:port]; `docker.io` when the reference names none. */
  registry: string;
  /** Repository path; Docker Hub single names get `library/`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** `registry/repository[:tag][@digest]`, fully qualified, no tag added. */
  normalized: string;
}

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const NAME_MAX = 255;

const DEFAULT_REGISTRY = 'docker.io';

/** Parses a reference; throws with Docker's wording when it is malformed. */
export function parseImageRef(ref: string): ImageRef {
  const m = REFERENCE.exec(ref);
  const bad = () => new Error(`couldn't parse image name "${ref}": invalid reference format`);
  if (!m) {
    if (ref !== ref.toLowerCase() && REFERENCE.test(ref.toLowerCase())) {
      throw new Error(`couldn't parse image name "${ref}": repository name must be lowercase`);
    }
    throw bad();
  }
  const name = m[1]!;
  if (name.length > NAME_MAX) throw bad();
  // A bare 64-hex string would be mistaken for an image ID.
  if (/^[a-f0-9]{64}$/.test(name)) throw bad();
  const { registry, repository } = splitDomain(name);
  const out: ImageRef = { registry, repository, normalized: `${registry}/${repository}` };
  if (m[2] !== undefined) {
    out.tag = m[2];
    out.normalized += `:${m[2]}`;
  }
  if (m[3] !== undefined) {
    out.digest = m[3];
    out.normalized += `@${m[3]}`;
  }
  return out;
}

/**
 * The first component is a registry only if it looks like a host: it contains
 * `.` or `:`, is `localhost`, or has upper-case letters (splitDockerDomain).
 */
function splitDomain(name: string): { registry: string; repository: string } {
  const i = name.indexOf('/');
  let registry = DEFAULT_REGISTRY;
  let repository = name;
  if (i >= 0) {
    const first = name.slice(0, i);
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      repository = name.slice(i + 1);
    }
  }
  if (registry === 'index.docker.io') registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository };
}

export function isValidImageRef(ref: string): boolean {
  try {
    parseImageRef(ref);
    return true;
  } catch {
    return false;
  }
}
