import { packageTsupConfig } from '../../tooling/tsup.js';

export default packageTsupConfig(['src/index.ts']);
