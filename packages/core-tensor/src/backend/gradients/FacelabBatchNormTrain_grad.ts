/** Gradient of {@link FacelabBatchNormTrain}: one FacelabBatchNormTrainGrad kernel. */
import { tf } from '../../tf.js';
import { FacelabBatchNormTrain, FacelabBatchNormTrainGrad } from '../kernel_names.js';

/** The gradient config of the fused batch-norm kernel. */
export const facelabBatchNormTrainGradConfig: tf.GradConfig = {
  kernelName: FacelabBatchNormTrain,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    // The engine passes zeros for outputs the loss does not depend on (the layer's mean and variance).
    const [dy, dmean, dvariance] = dys as tf.Tensor[];
    const [x, gamma, mean, variance] = saved as tf.Tensor[];
    const inputs = { dy: dy!, x: x!, gamma: gamma!, mean: mean!, variance: variance!, dmean: dmean!, dvariance: dvariance! };
    const [dx, dgamma, dbeta] = tf.engine().runKernel(FacelabBatchNormTrainGrad, inputs, attrs) as tf.Tensor[];
    return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
  },
};
