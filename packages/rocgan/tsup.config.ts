import { packageTsupConfig } from '../../tooling/tsup.js';

export default packageTsupConfig(['src/index.ts', 'src/cli/bin.ts'], {
  entry: { index: 'src/index.ts', cli: 'src/cli/bin.ts' },
});
