"""Parameter counts of the PyTorch IR-ResNets in iresnet_torch.py (depths 18/34/50/100 at 112x112, 512-d, and
the small test configuration). Writes iresnet-params.json. Run: /usr/bin/python3 make_iresnet_params.py"""
import json
import os

from iresnet_torch import SMALL, UNITS, IResNet, counts

out = {str(d): counts(IResNet(UNITS[d])) for d in UNITS}
out["small"] = counts(IResNet(**SMALL))
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "iresnet-params.json")
with open(path + ".tmp", "w") as f:
    json.dump(out, f, indent=1)
os.replace(path + ".tmp", path)
print(out)
