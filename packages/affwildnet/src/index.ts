/** @facelab/affwildnet: AffWildNet, OMG-Emotion networks and extended-loss transfer on TensorFlow.js. */
export {
  createAffWildNet,
  AFFWILD_LANDMARK_DIMS,
  type AffWildBackbone,
  type AffWildNetOptions,
} from './model/affwildnet.js';
export { createOmgNet, type OmgNetOptions, type OmgVariant } from './model/omgnet.js';
export { SMALL_BLOCKS as AFFWILD_SMALL_BLOCKS } from './model/frame-cnn.js';
export { affWildLoss, omgLoss } from './train/losses.js';
