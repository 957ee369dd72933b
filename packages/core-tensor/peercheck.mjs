import { spawnSync } from 'node:child_process';
import { initBackend, tf } from '@facelab/core-tensor';
const b = process.argv[2];
if (b !== 'none') { await initBackend(b); const x = tf.randomNormal([16,56,56,64]); const w = tf.randomNormal([3,3,64,64]); tf.conv2d(x, w, 1, 'same').dataSync(); }
const env = { ...process.env, LD_LIBRARY_PATH: `${process.env.HOME}/.cache/facelab/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread`, PYTHONPATH: '/work/main/benchmarks/peers' };
const r = spawnSync('/usr/bin/python3', ['/work/main/benchmarks/peers/torch_ops.py'], { env, encoding: 'utf8' });
const ops = JSON.parse(r.stdout.trim().split('\n').at(-1)).ops;
console.log(b, 'torch conv step', ops['conv2d training step 16×56×56×64→64 3×3'].toFixed(1), 'fwd', ops['conv2d forward 16×56×56×64→64 3×3'].toFixed(1));
const aff = spawnSync('sh', ['-c', 'grep Cpus_allowed_list /proc/self/status; nice']).stdout.toString();
console.log(aff.trim());
