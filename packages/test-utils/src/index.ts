/**
 * @facelab/test-utils: helpers every package's tests share (private, never published). This entry needs no
 * TensorFlow.js; the backend helpers live in `@facelab/test-utils/backends`.
 */

// Closeness
export { expectClose, relErr, type CloseOptions, type Numeric, type TensorLike } from './close.js';

// Golden files
export { readGolden } from './golden.js';

// Seeded data
export { randn } from './random.js';

// Command lines
export { runCli, describeCliConventions, type CliRun, type CliConventionCases } from './cli.js';

// README examples
export { readmeBlocks, describeReadmeExamples, type ReadmeBlock, type ReadmeExampleOptions } from './readme.js';

// Malformed-input corpus
export { describeMalformed, MALFORMED_PREFIX, type MalformedCase, type MalformedOptions } from './malformed.js';
