/** @facelab/arcface: margin losses, IR-ResNet backbones, face verification and ONNX weight import. */
export { marginLogits, marginSoftmaxLoss, MARGIN_PRESETS, type MarginOptions, type LabelsLike } from './loss/margin.js';
