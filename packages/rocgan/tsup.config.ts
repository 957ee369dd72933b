import { packageTsupConfig } from '../../tooling/tsup.js';

// The demo lives outside src/ (it is not part of the API) but is built to dist/demo.js for the root `npm start`.
export default packageTsupConfig(['src/index.ts', 'src/cli/bin.ts', 'demo/index.ts'], {
  entry: { index: 'src/index.ts', cli: 'src/cli/bin.ts', demo: 'demo/index.ts' },
});
