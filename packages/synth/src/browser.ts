/** @facelab/synth for the browser: everything of the package that needs no Node built-in (the `browser` export condition). */
// Synthetic faces with ground truth: a seeded parametric renderer, clips and motion blur.
export {
  SYNTH_EMOTIONS,
  EMOTION_VALENCE_AROUSAL,
  emotionFeatures,
  expressionFor,
  nearestEmotion,
  type Expression as FaceExpression,
  type SynthEmotion,
} from './emotions.js';
export { identityParams, type IdentityParams, type Rgb as SynthRgb } from './identity.js';
export { faceShape, canonicalLandmarks, type FaceShape } from './geometry.js';
export { FRONTAL_POSE, poseWarp, warpToImage, warpToCanonical, type Pose as FacePose, type Warp as FaceWarp } from './pose.js';
export type { Shape as SynthShape } from './raster.js';
export { SYNTH_STYLES, sampleLighting, type Lighting as SynthLighting, type SynthStyle } from './style.js';
export { renderFace, type FaceParams, type SynthFace } from './render.js';
export { sampleFaceParams, samplePose, sampleOccluders, synthFace, type SynthOptions } from './sample.js';
export {
  smoothTrajectory,
  clipTrajectory,
  clipFrameParams,
  renderClip,
  motionBlurParams,
  renderMotionBlur,
  type ClipOptions,
  type ClipTrajectory,
  type MotionBlurOptions,
  type MotionBlurSample,
} from './clip.js';
export { stackSynthImages } from './tensor.js';
export { affectCnn } from './affect-cnn.js';
