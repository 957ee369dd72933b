/** Every ts/js example in this package's README runs as written (the TF1-checkpoint ones need files, and are skipped). */
import { describeReadmeExamples } from '@facelab/test-utils';

describeReadmeExamples(new URL('..', import.meta.url));
