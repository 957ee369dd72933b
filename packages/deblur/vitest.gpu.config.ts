import { gpuVitestConfig } from '../../tooling/vitest.js';

export default gpuVitestConfig();
