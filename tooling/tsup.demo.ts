/**
 * The tsup configuration of a package's `npm start` demo: `demo/index.ts` → `demo-dist/index.js`, a folder that
 * is neither committed nor published (package.json `files` lists `dist` only). The demo imports its own package
 * by name like any user, so every @facelab package stays external and resolves to its built dist.
 * Used from a package folder as `tsup --config ../../tooling/tsup.demo.ts`.
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'demo/index.ts' },
  outDir: 'demo-dist',
  format: ['esm'],
  dts: false,
  sourcemap: false,
  clean: true,
  target: 'node20',
  external: [/^@facelab\//],
});
