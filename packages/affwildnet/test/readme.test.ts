/** Every ts/js example in this package's README runs as written (the TF1-checkpoint one on the test checkpoint). */
import { describeReadmeExamples } from '@facelab/test-utils';

const ckpt = new URL('./fixtures/tf1-checkpoint/vggface-gru-small/', import.meta.url).pathname;
describeReadmeExamples(new URL('..', import.meta.url), {
  fixtures: {
    'model.ckpt.index': `${ckpt}model.ckpt.index`,
    'model.ckpt.data-00000-of-00001': `${ckpt}model.ckpt.data-00000-of-00001`,
  },
});
