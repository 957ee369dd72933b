#!/usr/bin/env node
// Builds build/onednn.node (native/onednn.cc against the system's oneDNN) at install time, where it can:
// g++, Node's headers and libdnnl-dev (Debian/Ubuntu: apt-get install g++ libdnnl-dev) must be present.
// Where one is missing it writes the reason to build/not-built.txt, prints one line and exits 0: the package
// still installs and @facelab/core-tensor uses onnxruntime's kernels instead. FACELAB_ONEDNN_BUILD=0 skips.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build');
const addon = join(out, 'onednn.node');
const notBuilt = join(out, 'not-built.txt');

/** Node's C headers: $npm_config_nodedir, else beside the running node binary (official and Debian installs). */
function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    resolve(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

/** The first directory holding dnnl.hpp, or undefined. */
function dnnlHeaders() {
  return ['/usr/include', '/usr/local/include', process.env.DNNL_ROOT && join(process.env.DNNL_ROOT, 'include')]
    .filter(Boolean)
    .find((dir) => existsSync(join(dir, 'dnnl.hpp')));
}

function hasCompiler() {
  try {
    execFileSync(process.env.CXX ?? 'g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function skip(reason) {
  mkdirSync(out, { recursive: true });
  rmSync(addon, { force: true });
  writeFileSync(notBuilt, `${reason}\n`);
  console.log(`@facelab/onednn: not built (${reason}); facelab uses onnxruntime's convolutions instead.`);
  process.exit(0);
}

if (process.env.FACELAB_ONEDNN_BUILD === '0') skip('FACELAB_ONEDNN_BUILD=0');
if (process.platform !== 'linux') skip(`the addon is built on Linux only, this is ${process.platform}`);
const nodeInclude = nodeHeaders();
if (nodeInclude === undefined) skip("Node's headers (node_api.h) were not found; set npm_config_nodedir");
const dnnlInclude = dnnlHeaders();
if (dnnlInclude === undefined) skip('oneDNN headers (dnnl.hpp) were not found: apt-get install libdnnl-dev');
if (!hasCompiler()) skip('no C++ compiler: apt-get install g++');

mkdirSync(out, { recursive: true });
const tmp = `${addon}.${process.pid}.tmp`;
const args = ['-O2', '-std=c++17', '-shared', '-fPIC', '-fopenmp', '-DNODE_GYP_MODULE_NAME=onednn', `-I${nodeInclude}`, `-I${dnnlInclude}`];
if (process.env.DNNL_ROOT) args.push(`-L${join(process.env.DNNL_ROOT, 'lib')}`);
try {
  execFileSync(process.env.CXX ?? 'g++', [...args, join(root, 'native', 'onednn.cc'), '-o', tmp, '-ldnnl'], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (err) {
  rmSync(tmp, { force: true });
  const first = String(err.stderr ?? err.message).split('\n').find((line) => /error/i.test(line)) ?? 'the compiler failed';
  skip(`compiling native/onednn.cc failed: ${first.trim()}`);
}
renameSync(tmp, addon);
rmSync(notBuilt, { force: true });
console.log('@facelab/onednn: built build/onednn.node');
