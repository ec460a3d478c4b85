// ESM resolve hook (registered with module.register): `import ... from 'electron'` (and
// 'electron/main', 'electron/common') resolves to the stand-in, never to the npm `electron`
// package, whose index.js only knows how to find (or download) the real binary.
const ELECTRON_SPECIFIERS = new Set(['electron', 'electron/main', 'electron/common']);
const target = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (ELECTRON_SPECIFIERS.has(specifier)) return { url: target, shortCircuit: true, format: 'module' };
  return nextResolve(specifier, context);
}
