// Import boundaries of minikubelet, checked by dependency-cruiser (`npm run check:boundaries`).
// The layering is the one in README "Architecture" and shared/docs/architecture.md §3.
// Arrows point from importer to imported, and only downwards:
//
//   cmd → src/cli (+ src/setup) → src/kubelet.ts, src/kubelet-api.ts (composition root, API adapter)
//       → src/server, src/sync
//       → src/images, src/prober, src/lifecycle, src/status, src/sources, src/scheduling, src/printers, src/stats,
//         src/serviceaccount, src/storage
//       → src/runtime, src/events
//       → src/pod, src/container
//       → src/apis (core: k8s.io/api/core/v1; minikubelet/v1: the agent's own wire types)
//       → src/metrics (what the agent measures; recorded by runtime, prober, sync)
//       → src/util
//
// Modules of one tier may import each other (the no-circular rule keeps that acyclic).
// src/client (the HTTP client of the CLI and tests) sits beside the tiers and imports only
// apis/core and util; src/options.ts (settings) imports nothing internal.
//
// How the TypeScript is read: TypeScript 7 is the Go-native compiler and has no JS API,
// which dependency-cruiser's tsc extractor needs (it only accepts typescript <7). So the
// sources are parsed with swc (@swc/core, a devDependency): `parser: 'swc'`. swc keeps
// `import type` declarations in its AST, so type-only imports are checked like any other.
// Relative `./x.js` specifiers resolve to `./x.ts` (dependency-cruiser's TS fallback).

/** A path regex for the given `src/` folders or files. */
const src = (...names) => `^src/(${names.join('|')})`;

/** Bottom to top: each tier's name, and its folders or files under src/. */
const TIERS = [
  ['util', ['util/']],
  ['metrics', ['metrics/']],
  ['apis', ['apis/']],
  ['pod-container', ['pod/', 'container/']],
  ['runtime-events', ['runtime/', 'events/']],
  [
    'managers',
    [
      'images/',
      'prober/',
      'lifecycle/',
      'status/',
      'sources/',
      'scheduling/',
      'printers/',
      'node/',
      'namespace/',
      'stats/',
      'serviceaccount/',
      'storage/',
    ],
  ],
  ['server-sync', ['server/', 'sync/']],
  ['composition-root', ['kubelet\\.ts$', 'kubelet-api\\.ts$']],
];

/** What a tier may not import: the tiers above it, and the command line. */
const above = (i) => [
  ...TIERS.slice(i + 1).flatMap(([, paths]) => paths),
  'cli/',
  'setup/',
  // The composition root may read settings and write a kubeconfig; nothing below it may.
  ...(i < TIERS.length - 1 ? ['options\\.ts$', 'client/'] : []),
];

const upwards = TIERS.map(([name, tier], i) => ({
  name: `no-upward-import-from-${name}`,
  comment: `${tier.join(', ')} must not import ${above(i).join(', ')}: dependencies point one way.`,
  severity: 'error',
  from: {
    path: src(...tier),
  },
  to: { path: src(...above(i)) },
}));
module.exports = {
  forbidden: [
    {
      name: 'tests-use-the-bounded-node-test',
      comment:
        'Test files take test/describe/hooks from test/harness/node-test.ts, which bounds every test in time; node:test directly would let a hung await stall the file.',
      severity: 'error',
      from: { path: '^test/', pathNot: '^test/harness/node-test\\.ts$' },
      to: { path: '^node:test$|^test$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere (a cycle means two modules are one).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves; otherwise the boundary rules would silently not see it.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'util-imports-nothing-internal',
      comment: 'src/util is the bottom: it imports nothing else from src/.',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { path: '^(src|cmd|test)/', pathNot: '^src/util/' },
    },
    {
      name: 'apis-core-imports-only-util',
      comment: 'src/apis (core/v1 types + validation, and minikubelet/v1 wire types) imports only src/util.',
      severity: 'error',
      from: { path: '^src/apis/' },
      to: { path: '^(src|cmd|test)/', pathNot: '^src/(apis|util)/' },
    },
    {
      name: 'metrics-imports-only-util',
      comment: 'src/metrics sits just above util: the modules that record import it, never the reverse.',
      severity: 'error',
      from: { path: '^src/metrics/' },
      to: { path: '^(src|cmd|test)/', pathNot: '^src/(metrics|util)/' },
    },
    {
      name: 'prom-client-only-in-metrics',
      comment:
        'prom-client is an implementation detail of src/metrics/prometheus.ts; the rest records through KubeletMetrics.',
      severity: 'error',
      from: { path: '^(src|cmd)/', pathNot: '^src/metrics/prometheus\\.ts$' },
      to: { path: '^node_modules/prom-client/' },
    },
    {
      name: 'pod-and-container-import-only-apis-core-and-util',
      comment: 'src/pod (pod manager) and src/container (neutral helpers) import only apis/core and util.',
      severity: 'error',
      from: { path: '^src/(pod|container)/' },
      to: { path: '^(src|cmd|test)/', pathNot: '^src/(pod|container|apis/core|util)/' },
    },
    ...upwards,
    {
      name: 'client-imports-only-apis-core-and-util',
      comment:
        'src/client speaks the Kubernetes API over HTTP; it shares wire types through apis/core, never server/ or agent internals.',
      severity: 'error',
      from: { path: '^src/client/' },
      to: {
        path: '^(src|cmd|test)/',
        pathNot: ['^src/(client|apis|util)/'],
      },
    },
    {
      name: 'server-and-cli-only-from-the-top',
      comment:
        'Only cmd/, src/cli/, src/kubelet.ts and the API adapter src/kubelet-api.ts import src/cli/ or src/server/ (the agent core knows neither).',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/(cli|server)/', '^src/kubelet(-api)?\\.ts$'],
      },
      to: { path: '^src/(cli|server)/' },
    },
    {
      name: 'setup-only-from-the-command-line',
      comment: 'src/setup (engine discovery/install, image builds) is driven by the CLI only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|setup)/' },
      to: { path: '^src/setup/' },
    },
    {
      name: 'setup-imports-only-options-and-util',
      comment:
        'src/setup stands beside the agent: it imports only src/options.ts, apis/core, util, the one engine-connection module (runtime/docker-client.ts), so setup and the agent dial the engine the same way, and the CNI driver probe (runtime/cni/driver.ts), so setup installs what the driver checks for.',
      severity: 'error',
      from: { path: '^src/setup/' },
      to: {
        path: '^(src|cmd|test)/',
        pathNot: '^src/(setup/|apis/core/|util/|options\\.ts$|runtime/docker-client\\.ts$|runtime/cni/driver\\.ts$)',
      },
    },
    {
      name: 'dockerode-only-in-docker-client-and-setup',
      comment:
        'dockerode is imported only by src/runtime/docker-client.ts (which re-exports the types others need) and src/setup/.',
      severity: 'error',
      from: { path: '^(src|cmd)/', pathNot: ['^src/runtime/docker-client\\.ts$', '^src/setup/'] },
      to: { path: '^node_modules/(@types/)?dockerode/' },
    },
    {
      name: 'production-code-does-not-import-tests',
      comment: 'src/ and cmd/ ship no fakes or harness code (tests may import anything).',
      severity: 'error',
      from: { path: '^(src|cmd)/' },
      to: { path: '^test/' },
    },
    {
      name: 'testing-library-only-from-the-package-entry',
      comment:
        'src/testing (PodContainer) sits on top of the composition root, beside the CLI; only the package entry src/index.ts (and tests) import it.',
      severity: 'error',
      from: { path: '^(src|cmd)/', pathNot: ['^src/testing/', '^src/index\\.ts$'] },
      to: { path: '^src/(testing/|index\\.ts$)' },
    },
    {
      name: 'nothing-imports-cmd',
      comment: 'cmd/ is the entry point; nothing imports it.',
      severity: 'error',
      from: {},
      to: { path: '^cmd/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // example.test.ts uses `await using`, which dependency-cruiser's swc visitor does not
    // know yet ("Unknown statement type: UsingDeclaration"); it imports only the package entry.
    exclude: { path: ['^dist/', '^test/integration/testing/example\\.test\\.ts$'] },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      // p-queue and friends are ESM-only packages resolved through their `exports`.
      conditionNames: ['import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
    },
  },
};
