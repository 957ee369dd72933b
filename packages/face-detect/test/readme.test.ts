import { describeReadmeExamples } from '@facelab/test-utils';

describeReadmeExamples(new URL('..', import.meta.url));
