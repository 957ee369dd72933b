#!/bin/sh
# Unpacks Debian's OpenBLAS (pthread build) for the PyTorch peer, once, into a cache outside the repository;
# nothing is installed and the system BLAS stays as it is. Run by hand (the benchmarks never run it):
#   sh benchmarks/peers/setup-openblas.sh
# The harness then finds ~/.cache/facelab/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
# (or the folder BENCH_OPENBLAS_DIR names) and puts it first on the peer's LD_LIBRARY_PATH.
set -eu
cache="${HOME}/.cache/facelab/openblas"
mkdir -p "$cache"
cd "$cache"
apt-get download libopenblas0-pthread
dpkg -x "$(ls libopenblas0-pthread_*.deb | head -1)" root
ls root/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
