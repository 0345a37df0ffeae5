/**
 * The module a worker thread runs: built, `name.js` beside the caller; from the TypeScript
 * source (tests, benches), `name.ts` through tsx.
 *
 * @example new Worker(threadEntry(import.meta.url, 'lane-thread'), { workerData })
 */
export function threadEntry(callerUrl: string, name: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.js`, callerUrl);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(new URL(`./${name}.ts`, callerUrl).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
