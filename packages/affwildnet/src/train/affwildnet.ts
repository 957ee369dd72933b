/**
 * AffWildNet's training recipe (Kollias et al., arXiv 1804.10938): the CNN is first trained alone on single frames
 * (a per-frame regressor on its FC features, {@link createFrameHead}); then the whole CNN-RNN is trained with the
 * CNN frozen, so that only the GRUs and the output layer learn on the CNN's features.
 */
import type { tf, TrainResult } from '@facelab/core-tensor';
import type { ClipSet } from '../data/sets.js';
import { createFrameHead } from '../model/frame-head.js';
import { fitAffect, type FitAffectOptions } from './fit.js';

/** One stage of {@link fitAffWildNet}: {@link fitAffect}'s options, the objective being the stage's. */
export type AffWildNetStageOptions = Omit<FitAffectOptions, 'objective'>;

/** Options of {@link fitAffWildNet}. */
export interface FitAffWildNetOptions {
  /** Stage 1: the frame CNN alone, per-frame CCC loss. */
  frames: AffWildNetStageOptions;
  /** Stage 2: the CNN-RNN with the CNN frozen, Aff-Wild loss. */
  sequence: AffWildNetStageOptions;
  /**
   * Called between the stages with the stage-1 frame regressor ([B, T, S, S, 3] → [B·T, 2], e.g. for
   * {@link predictFrames}); the regressor's own head is disposed after the recipe.
   */
  afterFrames?: (frameModel: tf.LayersModel) => void | Promise<void>;
}

/** The trainer's results of both stages. */
export interface FitAffWildNetResult {
  frames: TrainResult;
  sequence: TrainResult;
}

/** Freezes (or unfreezes) every layer up to and including the frame CNN's FC (`fc_seq`). */
function freezeFrameCnn(model: tf.LayersModel, frozen: boolean): void {
  const last = model.layers.findIndex((l) => l.name === 'fc_seq');
  if (last < 0) throw new Error(`fitAffWildNet: model '${model.name}' has no 'fc_seq' layer (use createAffWildNet)`);
  model.layers.forEach((l, i) => {
    if (i <= last) l.trainable = !frozen;
  });
}

/** Trains an AffWildNet ({@link createAffWildNet}) on `set` in the paper's two stages; every layer is trainable afterwards. */
export async function fitAffWildNet(model: tf.LayersModel, set: ClipSet, options: FitAffWildNetOptions): Promise<FitAffWildNetResult> {
  const frameModel = createFrameHead(model);
  freezeFrameCnn(model, false); // checks the layer before training
  try {
    const frames = await fitAffect(frameModel, set, { ...options.frames, objective: 'frames' });
    await options.afterFrames?.(frameModel);
    freezeFrameCnn(model, true);
    const sequence = await fitAffect(model, set, { ...options.sequence, objective: 'affwild' });
    return { frames, sequence };
  } finally {
    freezeFrameCnn(model, false);
    frameModel.getLayer('frame_valence_arousal').dispose();
  }
}
