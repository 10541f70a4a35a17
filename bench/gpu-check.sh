#!/usr/bin/env bash
# The real-GPU measurement of this project in one script, both bases, about
# 5 minutes on a GPU (docs/benchmarks.md, "Real GPUs").
#
#   bash bench/gpu-check.sh prepare      on a machine with the npm registry: build, and
#                                        gather what a bare GPU machine lacks into
#                                        .gpu-check/ (the webgpu package's Linux
#                                        x64 build, Debian's Vulkan loader)
#   bash bench/gpu-check.sh run OUTDIR   on the GPU machine, from the repository root,
#                                        with dist/ and .gpu-check/ copied there: names the
#                                        GPU (nvidia-smi, the WebGPU adapter), then the
#                                        benchmark grid in basis "full" and "sector"
#                                        on WebGPU and the CPU backend; every line
#                                        also goes to OUTDIR/gpu-check.log, the
#                                        records to OUTDIR/gpu-*.json (+ .md)
#
# `run` refuses a software adapter (SwiftShader, llvmpipe) unless
# GPU_CHECK_ALLOW_SOFTWARE=1 is set: that is a dry run of the script, not a
# GPU figure. GPU_CHECK_QUICK=1 shrinks the grids (a dry run on a CPU).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
case "$mode" in
  prepare)
    npm run build
    rm -rf .gpu-check
    mkdir -p .gpu-check/node_modules/webgpu/dist
    # Only what Node needs to load Dawn on Linux x64 (the package ships every platform: ~130 MB).
    cp node_modules/webgpu/package.json node_modules/webgpu/index.js .gpu-check/node_modules/webgpu/
    cp -r node_modules/webgpu/dist/linux-x64 .gpu-check/node_modules/webgpu/dist/
    # The Vulkan loader, for a machine that has the NVIDIA driver's ICD but no libvulkan.so.1.
    if command -v apt-get >/dev/null; then
      (cd .gpu-check && apt-get download libvulkan1 >/dev/null 2>&1) || echo "gpu-check: could not download libvulkan1 (run apt-get update first?); the GPU machine must have it"
    fi
    du -sh .gpu-check dist
    echo "gpu-check: prepared; copy dist/ and .gpu-check/ with the working tree, then run: bash bench/gpu-check.sh run OUTDIR"
    ;;
  run)
    out="${2:?usage: bash bench/gpu-check.sh run OUTDIR}"
    mkdir -p "$out"
    exec > >(tee -a "$out/gpu-check.log") 2>&1
    echo "gpu-check: $(date -u +%FT%TZ) on $(hostname), $(nproc) cores, $(uname -m)"
    [ -d dist ] || { echo "gpu-check: dist/ is missing: run 'bash bench/gpu-check.sh prepare' first and copy dist/"; exit 2; }
    if [ ! -d node_modules/webgpu ]; then
      [ -d .gpu-check/node_modules/webgpu ] || { echo "gpu-check: neither node_modules/webgpu nor .gpu-check/ is here"; exit 2; }
      mkdir -p node_modules && cp -r .gpu-check/node_modules/webgpu node_modules/
    fi
    if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
      for f in .gpu-check/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
      ldconfig || true
    fi
    if command -v nvidia-smi >/dev/null; then
      nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv || true
    else
      echo "gpu-check: no nvidia-smi here"
    fi
    # Where the NVIDIA driver's Vulkan ICD is, when the loader does not find it by itself.
    if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then
      for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; do
        if [ -e "$icd" ]; then export VK_DRIVER_FILES="$icd"; echo "gpu-check: Vulkan ICD $icd"; break; fi
      done
    fi
    node --input-type=module -e "
      import { create, globals } from 'webgpu';
      Object.assign(globalThis, globals);
      const gpu = create([]);
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) { console.log('gpu-check: no WebGPU adapter'); process.exit(3); }
      const info = adapter.info ?? {};
      const l = adapter.limits;
      console.log('gpu-check: adapter', JSON.stringify({ vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxBufferSize: l.maxBufferSize, maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX }));
      const soft = /swiftshader|llvmpipe|software/i.test([info.vendor, info.architecture, info.device, info.description].join(' '));
      if (soft && process.env.GPU_CHECK_ALLOW_SOFTWARE !== '1') { console.log('gpu-check: that is a software adapter, not a GPU (GPU_CHECK_ALLOW_SOFTWARE=1 for a dry run)'); process.exit(4); }
      process.exit(0);
    "
    if [ "${GPU_CHECK_QUICK:-0}" = 1 ]; then
      full=(--N 50 --L 2,4); sector=(--N 50 --L 8,16); budget=10
    else
      full=(--N 200,400 --L 4,8,10); sector=(--N 200,400 --L 8,16,32,64); budget=20
    fi
    common=(--no-scipy --no-gpujs --no-default-run --no-theta-sweep --no-sector --no-docs --max-case-seconds "$budget")
    echo "gpu-check: grid, basis full"
    node --expose-gc dist/bench/run.js "${full[@]}" "${common[@]}" --json "$out/gpu-full.json"
    echo "gpu-check: grid, basis sector (K = 1)"
    node --expose-gc dist/bench/run.js --basis sector "${sector[@]}" "${common[@]}" --json "$out/gpu-sector.json"
    echo "gpu-check: done $(date -u +%FT%TZ); records in $out"
    ;;
  *)
    echo "usage: bash bench/gpu-check.sh prepare | run OUTDIR"
    exit 2
    ;;
esac
