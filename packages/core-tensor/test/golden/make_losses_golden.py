"""Golden values for test/losses.test.ts from PyTorch's loss functions (and numpy for CCC).
Run: /usr/bin/python3 make_losses_golden.py (writes losses_golden.json)."""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(7)
torch.set_default_dtype(torch.float64)


def t(a):
    return torch.tensor(a, dtype=torch.float64)


y_true = rng.normal(0, 1, (4, 3))
y_pred = y_true + rng.normal(0, 1.2, (4, 3))
regression = {
    'yTrue': y_true.tolist(), 'yPred': y_pred.tolist(),
    'mse': F.mse_loss(t(y_pred), t(y_true)).item(),
    'mae': F.l1_loss(t(y_pred), t(y_true)).item(),
    'smoothL1': {str(b): F.smooth_l1_loss(t(y_pred), t(y_true), beta=b).item() for b in [1.0, 0.5, 2.0, 0.0]},
}

logits = rng.normal(0, 2, (5, 4))
labels = rng.integers(0, 4, 5)
soft = rng.dirichlet(np.ones(4), 5)
cross_entropy = {
    'logits': logits.tolist(), 'labels': labels.tolist(), 'soft': soft.tolist(),
    'integer': {str(e): F.cross_entropy(t(logits), torch.tensor(labels), label_smoothing=e).item() for e in [0.0, 0.1, 0.3]},
    'softTargets': F.cross_entropy(t(logits), t(soft)).item(),
}

student = rng.normal(0, 2, (6, 5))
teacher = rng.normal(0, 3, (6, 5))
distillation = {
    'student': student.tolist(), 'teacher': teacher.tolist(),
    'loss': {str(T): (T * T * F.kl_div(F.log_softmax(t(student) / T, -1), F.softmax(t(teacher) / T, -1),
                                       reduction='batchmean')).item() for T in [1.0, 2.0, 4.0]},
}

real = rng.normal(1, 1.5, (7, 1))
fake = rng.normal(-1, 1.5, (7, 1))
bce = F.binary_cross_entropy_with_logits
R, Fk = t(real), t(fake)
gan = {
    'real': real.tolist(), 'fake': fake.tolist(),
    'nonSaturating': {'d': (bce(R, torch.ones_like(R)) + bce(Fk, torch.zeros_like(Fk))).item(),
                      'g': bce(Fk, torch.ones_like(Fk)).item()},
    'lsgan': {'d': (0.5 * F.mse_loss(R, torch.ones_like(R)) + 0.5 * F.mse_loss(Fk, torch.zeros_like(Fk))).item(),
              'g': (0.5 * F.mse_loss(Fk, torch.ones_like(Fk))).item()},
    'hinge': {'d': (F.relu(1 - R).mean() + F.relu(1 + Fk).mean()).item(), 'g': (-Fk.mean()).item()},
}

ct = rng.normal(0, 0.5, (6, 2))
cp = 0.5 * ct + rng.normal(0.2, 0.4, (6, 2))


def ccc_np(a, b):
    return 2 * np.mean((a - a.mean()) * (b - b.mean())) / (a.var() + b.var() + (a.mean() - b.mean()) ** 2)


ccc = {'yTrue': ct.tolist(), 'yPred': cp.tolist(),
       'loss': float(np.mean([1 - ccc_np(ct[:, d], cp[:, d]) for d in range(2)]))}

golden = {'generator': f'make_losses_golden.py, torch {torch.__version__}, numpy {np.__version__}',
          'regression': regression, 'crossEntropy': cross_entropy, 'distillation': distillation, 'gan': gan,
          'ccc': ccc}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'losses_golden.json')
tmp = path + '.tmp'
with open(tmp, 'w') as f:
    json.dump(golden, f, indent=1)
os.replace(tmp, path)
print('wrote', path)
