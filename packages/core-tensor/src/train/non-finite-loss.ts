/** The error that stops training on a NaN or infinite loss, before the step's update reaches the weights. */

/** Thrown by the trainer when a step's loss is NaN or ±Infinity; `step` is the 0-based index of that step. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';

  constructor(
    readonly loss: number,
    readonly step: number,
    optimizer?: string,
  ) {
    const which = optimizer === undefined || optimizer === 'default' ? '' : ` (optimizer '${optimizer}')`;
    super(`train: loss is ${loss} at step ${step + 1}${which}; weights left as before this step (NaN in the inputs or labels, or a too-large learning rate)`);
  }
}
