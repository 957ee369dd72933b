/** @facelab/face-detect: faces, five ArcFace points, 68 landmarks and crops from photos, on Human's models. */
export {
  createFaceDetector,
  type FaceDetector,
  type FaceDetectorOptions,
  type DetectedFace,
} from './detector.js';
export {
  FIVE_POINT_MESH_INDICES,
  MESH_TO_IBUG68,
  IBUG68_MIRROR,
  fivePointsFromMesh,
  ibug68FromMesh,
  type Point,
} from './mesh-points.js';
export { FaceTracker, boxIou, type Box, type FaceTrackOptions, type TrackedFrame } from './track.js';
export { trackFaceBoxes, type TrackFaceBoxesOptions } from './video-boxes.js';
export { squareFaceBox, cropFace, type SquareCropOptions } from './crop.js';
export { modelFileIO, registerFileModelRouter } from './model-files.js';
export { locateHuman, HUMAN_VERSION, TFJS_CONVERTER_VERSION, type HumanInstall } from './human-loader.js';
