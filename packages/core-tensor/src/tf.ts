/**
 * The one TensorFlow.js engine every facelab package uses. Paper packages import `tf` from
 * `@facelab/core-tensor`, never from their own copy, so kernels registered here apply to all of them.
 */
import * as tf from './tf-namespace.js';

export { tf };
