import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts', 'src/demo.ts'],
  format: ['esm'],
  // Types of core-tensor come from its built dist, not from the source path used for typechecking.
  dts: { entry: 'src/index.ts', compilerOptions: { paths: {} } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
});
