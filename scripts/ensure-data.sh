#!/usr/bin/env bash
# Makes sure Debian's Fashion-MNIST package is installed, installing it with apt where we can;
# otherwise says in one sentence what to install. Never fails the caller.
# Also installs Debian's libopenblas0-openmp, the fast path for libtorch's matrix products
# (src/LabelNoise/Native/BlasPreload.cs); without it libtorch's bundled MKL is used.
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3
if [ ! -f "$openblas" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "labelnoise: installing Debian's libopenblas0-openmp (once)..." >&2
  apt-get install -y -qq libopenblas0-openmp >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas0-openmp >/dev/null 2>&1; } ||
    echo "labelnoise: could not install libopenblas0-openmp; libtorch's bundled MKL does the matrix products." >&2
fi
folder=/usr/share/datasets/fashion-mnist
[ -f "$folder/train-images-idx3-ubyte.gz" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "labelnoise: installing Debian's dataset-fashion-mnist (once)..." >&2
  if { apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 ||
       { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1; }; }; then
    exit 0
  fi
fi
echo "labelnoise: Fashion-MNIST is not installed: run 'sudo apt-get install dataset-fashion-mnist' (it puts the data in $folder)." >&2
exit 0
