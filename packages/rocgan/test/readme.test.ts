/** Every ts/js example in this package's README runs as written. */
import { describeReadmeExamples } from '@facelab/test-utils';

describeReadmeExamples(new URL('..', import.meta.url));
