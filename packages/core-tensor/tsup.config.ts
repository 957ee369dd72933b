import { packageTsupConfig } from '../../tooling/tsup.js';

// tf-namespace.ts is an entry of its own, kept external to index.js and index.d.ts: bundled into index.d.ts,
// its `export *` of three tfjs packages would be flattened into named imports guessed from one of them.
// The banner gives consumers the chained-op types (`x.reshape(…)`) that tf-namespace.ts references, which
// the declaration bundler drops.
const entry = ['src/index.ts', 'src/tf-namespace.ts'];
export default packageTsupConfig(
  entry,
  {
    dts: {
      entry,
      compilerOptions: { paths: {} },
      banner: "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';",
    },
    external: [/^@facelab\//, './tf-namespace.js'],
  },
  entry,
);
