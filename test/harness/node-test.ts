// node:test with a per-test time bound. Node 20's --test-timeout bounds a whole file,
// not each test, so every test file imports test/describe/hooks from here instead of
// from node:test: each test and hook gets a default `timeout` (MKL_TEST_TIMEOUT_MS,
// set per suite by test/run-tests.mjs; a test's own `timeout` option still wins), and
// an await that never settles fails that one test instead of hanging the file.
import * as nodeTest from 'node:test';

type TestFn = nodeTest.TestFn;
type SuiteFn = nodeTest.SuiteFn;
type HookFn = nodeTest.HookFn;

const DEFAULT_TIMEOUT_MS = 120_000;
export const TEST_TIMEOUT_MS = Number(process.env.MKL_TEST_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS;

function bounded<O extends { timeout?: number }>(options: O | undefined): O {
  return { timeout: TEST_TIMEOUT_MS, ...(options ?? ({} as O)) };
}

// node:test's own functions return a promise the runner tracks itself; these return
// nothing, so a test file's top-level calls are not floating promises.
export function test(name: string, fn: TestFn): void;
export function test(name: string, options: nodeTest.TestOptions, fn: TestFn): void;
export function test(name: string, a: nodeTest.TestOptions | TestFn, b?: TestFn): void {
  void (typeof a === 'function' ? nodeTest.test(name, bounded(undefined), a) : nodeTest.test(name, bounded(a), b));
}

export function describe(name: string, fn: SuiteFn): void;
export function describe(name: string, options: nodeTest.TestOptions, fn: SuiteFn): void;
export function describe(name: string, a: nodeTest.TestOptions | SuiteFn, b?: SuiteFn): void {
  // A suite's own timeout would cap the sum of its tests: bound each test instead.
  void (typeof a === 'function' ? nodeTest.describe(name, a) : nodeTest.describe(name, a, b));
}

const hook =
  (h: (fn: HookFn, options?: nodeTest.HookOptions) => void) =>
  (fn: HookFn, options?: nodeTest.HookOptions): void =>
    h(fn, bounded(options));

export const before = hook(nodeTest.before);
export const after = hook(nodeTest.after);
export const beforeEach = hook(nodeTest.beforeEach);
export const afterEach = hook(nodeTest.afterEach);
