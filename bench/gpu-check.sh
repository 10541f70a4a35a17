#!/usr/bin/env bash
# The real-GPU check of this project in one command, about 5 minutes on a GPU
# (docs/webgpu.md, "Checking a GPU"; the figures go to docs/benchmarks.md).
# Needs Node >= 20 and no root: the Vulkan loader comes from the machine, or
# from a user folder this script fills (Debian's libvulkan1, unpacked there).
#
#   bash bench/gpu-check.sh prepare
#       on a machine with the npm registry and the repository's node_modules:
#       build, and gather what a bare GPU machine may lack into .gpu-check/
#       (the webgpu package's Linux x64 build; Debian's Vulkan loader, when
#       apt-get can download it)
#   bash bench/gpu-check.sh [run] OUTDIR [options]
#       on the GPU machine, from the repository root with dist/ (and
#       node_modules/webgpu or .gpu-check/): says what the machine has
#       (GPU, driver, Vulkan ICDs, container capabilities, glibc), finds a
#       WebGPU adapter, and measures (bench/gpu-check.ts): copy bandwidth,
#       the fused term with 1 and 4 outputs, K = 1 and K = 2, the paper-default
#       run in bases full, sector and antisymmetric, the K = 2 N = 400
#       L = 64 150 fs chain (or the largest that fits the time budget).
#       Writes OUTDIR/gpu-check.log, OUTDIR/gpu-check.json and
#       OUTDIR/gpu-check.md.
#   bash bench/gpu-check.sh diagnose
#       only the machine report and what is missing for a hardware adapter.
#
# Options of run (passed on to dist/bench/gpu-check.js):
#   --adapter NAME        the adapter whose Dawn name contains NAME (case-sensitive)
#                         (or GPU_CHECK_ADAPTER=NAME); --list-adapters lists them
#   --power low-power|high-performance   (or GPU_CHECK_POWER; default high-performance)
#   --allow-software      measure a software adapter (SwiftShader, llvmpipe): a
#                         dry run of the script, CPU figures; without a GPU it
#                         uses Chromium's SwiftShader ICD when it is installed
#   --quick               a tiny grid (a dry run on a CPU: 30-60 s on 2 loaded cores)
#   --gpu-memory BYTES    cap on the buffers (8G, 512M, 8GiB, 8GB or bytes)
#   --max-case-seconds S  --grid-seconds S  --long-seconds S  --reps R
#                        --full-N/--full-L/--sector-N/--sector-L LIST
#
# Exit status: 0 measured; 2 usage or a missing piece (named); 3 no WebGPU
# adapter (the report says what is missing); 4 only a software adapter and no
# --allow-software; 124 the check ran past GPU_CHECK_TIMEOUT (default 570 s).
set -uo pipefail
cd "$(dirname "$0")/.."

say() { echo "gpu-check: $*"; }
missing=()
miss() { missing+=("$*"); }

# The folder that receives a user-local Vulkan loader and ICD file (never /).
USER_DIR="${GPU_CHECK_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-transfer-gpu-check}"
SWIFTSHADER_ICD=/usr/lib/chromium/vk_swiftshader_icd.json

# Where the Vulkan loader looks for ICD files (and the NVIDIA container toolkit puts them).
icd_dirs() {
  local d
  for d in /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d \
    "$HOME/.local/share/vulkan/icd.d" $(echo "${XDG_DATA_DIRS:-}" | tr ':' '\n' | sed 's|$|/vulkan/icd.d|'); do
    [ -d "$d" ] && echo "$d"
  done | sort -u
}

# A shared library by name: the dynamic linker's cache, LD_LIBRARY_PATH, the usual folders.
find_lib() {
  local name="$1" d
  for ldc in ldconfig /sbin/ldconfig /usr/sbin/ldconfig; do
    if command -v "$ldc" >/dev/null 2>&1; then
      "$ldc" -p 2>/dev/null | awk -v n="$name" '$1 ~ "^"n {print $NF; exit}' | grep . && return 0
      break
    fi
  done
  for d in $(echo "${LD_LIBRARY_PATH:-}" | tr ':' ' ') /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64 /usr/local/lib /usr/lib/aarch64-linux-gnu; do
    ls "$d"/$name* 2>/dev/null | head -1 | grep . && return 0
  done
  return 1
}

# Debian's libvulkan1, unpacked into the user folder (apt-get download needs no root).
user_vulkan_loader() {
  local lib
  lib=$(ls "$USER_DIR"/vulkan/usr/lib/*/libvulkan.so.1 "$PWD"/.gpu-check/vulkan/usr/lib/*/libvulkan.so.1 2>/dev/null | head -1)
  if [ -z "$lib" ] && command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
    mkdir -p "$USER_DIR/vulkan"
    (cd "$USER_DIR" && apt-get download libvulkan1 >/dev/null 2>&1) && dpkg-deb -x "$(ls -t "$USER_DIR"/libvulkan1_*.deb | head -1)" "$USER_DIR/vulkan"
    lib=$(ls "$USER_DIR"/vulkan/usr/lib/*/libvulkan.so.1 2>/dev/null | head -1)
  fi
  [ -n "$lib" ] && dirname "$lib"
}

# What the machine has, and what a hardware adapter needs that it lacks (into $missing).
report_machine() {
  say "$(date -u +%FT%TZ) on $(hostname), $(nproc 2>/dev/null || echo '?') cores, $(uname -srm)"
  if [ "$(uname -s)" = Darwin ]; then
    say "macOS: Dawn runs on Metal; no Vulkan loader or ICD is needed"
    return
  fi
  local node_version glibc need_glibc dawn
  node_version=$(node -p 'process.versions.node' 2>/dev/null) || { miss "Node.js (>= 20) is not on PATH"; }
  [ -n "${node_version:-}" ] && { say "Node $node_version"; [ "${node_version%%.*}" -ge 20 ] || miss "Node $node_version is older than 20 (package.json engines)"; }
  glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
  dawn=$(ls node_modules/webgpu/dist/linux-*/dawn.node .gpu-check/node_modules/webgpu/dist/linux-*/dawn.node 2>/dev/null | head -1)
  need_glibc=$( [ -n "$dawn" ] && grep -aoE 'GLIBC_2\.[0-9]+' "$dawn" | sort -t. -k2 -n -u | tail -1 | sed 's/GLIBC_//')
  say "glibc ${glibc:-unknown (not glibc: musl/Alpine cannot load the webgpu package)}; Dawn (webgpu package) needs ${need_glibc:-?}"
  if [ -n "$glibc" ] && [ -n "$need_glibc" ] && [ "$(printf '%s\n%s\n' "$need_glibc" "$glibc" | sort -V | head -1)" != "$need_glibc" ]; then
    miss "glibc $glibc is older than the $need_glibc the webgpu package's dawn.node needs: use a newer distribution image (Debian 12, Ubuntu 22.04 or later)"
  fi
  [ -z "$glibc" ] && miss "no glibc: the webgpu package's dawn.node is built against glibc (use a Debian/Ubuntu image, not Alpine)"
  [ -z "$dawn" ] && miss "node_modules/webgpu (with dist/linux-x64/dawn.node) is missing: npm ci, or 'bash bench/gpu-check.sh prepare' elsewhere and copy .gpu-check/"

  # The GPU as the kernel shows it.
  local nodes
  nodes=$(ls /dev/nvidia0 /dev/nvidiactl /dev/dri/renderD* /dev/kfd /dev/dxg 2>/dev/null | tr '\n' ' ')
  say "GPU device nodes: ${nodes:-none}"
  [ -z "$nodes" ] && miss "no GPU device node (/dev/nvidia*, /dev/dri/renderD*, /dev/kfd): no GPU is visible here; in a container, start it with the GPU (docker --gpus all, or --device /dev/dri for AMD/Intel)"
  for n in /dev/dri/renderD*; do
    [ -e "$n" ] && { [ -r "$n" ] && [ -w "$n" ] || miss "$n is not readable and writable by $(id -un): add the user to its group ($(stat -c %G "$n" 2>/dev/null)), e.g. render or video"; }
  done
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv 2>&1 | sed 's/^/gpu-check:   /'
  fi

  # The Vulkan loader.
  local loader
  loader=$(find_lib libvulkan.so.1)
  if [ -z "$loader" ]; then
    local dir
    dir=$(user_vulkan_loader)
    if [ -n "$dir" ]; then
      export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      loader="$dir/libvulkan.so.1 (user folder)"
    fi
  fi
  say "Vulkan loader: ${loader:-none}"
  [ -z "$loader" ] && miss "the Vulkan loader libvulkan.so.1: 'apt-get download libvulkan1 && dpkg-deb -x libvulkan1_*.deb $USER_DIR/vulkan' (no root; this script does it where apt-get works), or 'bash bench/gpu-check.sh prepare' on another machine"

  # Vulkan drivers (ICD files) and what they point at.
  local icds=() f lib
  for d in $(icd_dirs); do for f in "$d"/*.json; do [ -e "$f" ] && icds+=("$f"); done; done
  say "Vulkan ICD files: ${icds[*]:-none}${VK_ICD_FILENAMES:+; VK_ICD_FILENAMES=$VK_ICD_FILENAMES}${VK_DRIVER_FILES:+; VK_DRIVER_FILES=$VK_DRIVER_FILES}"
  [ ${#icds[@]} -eq 0 ] && [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && miss "no Vulkan driver (ICD file) in /usr/share/vulkan/icd.d, /etc/vulkan/icd.d or the XDG data folders: the GPU driver's Vulkan part is not installed"
  case "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" in
    *swiftshader*|*lvp_icd*|*lavapipe*) miss "VK_ICD_FILENAMES/VK_DRIVER_FILES names a software driver (${VK_ICD_FILENAMES:-$VK_DRIVER_FILES}): unset it to reach the GPU";;
  esac

  # NVIDIA: the driver's Vulkan part is its GLX library; a container gets it only with the "graphics" capability.
  if ls /dev/nvidia0 >/dev/null 2>&1 || command -v nvidia-smi >/dev/null; then
    local caps="${NVIDIA_DRIVER_CAPABILITIES-unset}" glx nvicd="" driver
    driver=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -1)
    say "NVIDIA_DRIVER_CAPABILITIES=$caps"
    if [ "$caps" != unset ] && ! echo "$caps" | grep -qE '(^|,)(graphics|all)(,|$)'; then
      miss "NVIDIA_DRIVER_CAPABILITIES=$caps has no 'graphics': the container runtime mounted no Vulkan driver (libGLX_nvidia, nvidia_icd.json); start the container with NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics (or all)"
    fi
    for f in ${icds[@]+"${icds[@]}"}; do grep -qi nvidia "$f" && nvicd="$f"; done
    glx=$(find_lib libGLX_nvidia.so.0)
    say "NVIDIA Vulkan driver: ICD ${nvicd:-none}; libGLX_nvidia.so.0 ${glx:-not found}; $(for l in libnvidia-glcore.so libnvidia-glvkspirv.so libnvidia-gpucomp.so; do printf '%s %s; ' "$l" "$(find_lib "$l" >/dev/null && echo found || echo 'not found')"; done)"
    [ -z "$glx" ] && miss "libGLX_nvidia.so.0 (the NVIDIA driver's Vulkan library) is not installed or not mounted: install the driver's GL/Vulkan part matching ${driver:+driver }${driver:-the kernel driver} (libnvidia-gl-<version> on Ubuntu), or give the container the graphics capability"
    find_lib libnvidia-glcore.so >/dev/null || [ -z "$glx" ] || miss "libnvidia-glcore.so.* is missing beside libGLX_nvidia.so.0: the driver's GL/Vulkan libraries are incomplete"
    if [ -z "$nvicd" ] && [ -n "$glx" ] && [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
      # The library is there but no ICD file names it: one in the user folder does (what nvidia_icd.json holds).
      mkdir -p "$USER_DIR/icd.d"
      printf '{ "file_format_version": "1.0.1", "ICD": { "library_path": "libGLX_nvidia.so.0", "api_version": "1.3" } }\n' > "$USER_DIR/icd.d/nvidia_icd.json"
      export VK_DRIVER_FILES="$USER_DIR/icd.d/nvidia_icd.json" VK_ICD_FILENAMES="$USER_DIR/icd.d/nvidia_icd.json"
      say "no nvidia_icd.json: wrote $USER_DIR/icd.d/nvidia_icd.json naming libGLX_nvidia.so.0 and pointed the loader at it"
    elif [ -z "$nvicd" ] && [ -z "$glx" ]; then
      miss "no NVIDIA Vulkan ICD file (nvidia_icd.json in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d)"
    fi
  fi
  # AMD and Apple silicon under Linux: Mesa's RADV / Honeykrisp, or AMDVLK.
  if ls /dev/kfd /dev/dri/renderD* >/dev/null 2>&1 && ! ls /dev/nvidia0 >/dev/null 2>&1; then
    local mesa=""
    for f in ${icds[@]+"${icds[@]}"}; do case "$f" in *radeon*|*amd*|*asahi*|*intel*) mesa="$mesa $f";; esac; done
    [ -z "$mesa" ] && miss "no Vulkan ICD for the GPU behind /dev/dri: install Mesa's Vulkan drivers (Debian/Ubuntu: mesa-vulkan-drivers; radeon_icd.*.json, asahi_icd.*.json) or AMDVLK"
  fi
}

print_missing() {
  if [ ${#missing[@]} -eq 0 ]; then
    say "nothing known to be missing${1:+; $1}"
  else
    say "what is missing for a hardware WebGPU adapter:"
    for m in "${missing[@]}"; do echo "gpu-check:   - $m"; done
  fi
}

mode="${1:-}"
case "$mode" in
  prepare)
    npm run build || exit 2
    rm -rf .gpu-check
    mkdir -p .gpu-check/node_modules/webgpu/dist .gpu-check/vulkan
    # Only what Node needs to load Dawn on Linux x64 (the package ships every platform: ~130 MB).
    cp node_modules/webgpu/package.json node_modules/webgpu/index.js .gpu-check/node_modules/webgpu/
    cp -r node_modules/webgpu/dist/linux-x64 .gpu-check/node_modules/webgpu/dist/
    if command -v apt-get >/dev/null && (cd .gpu-check && apt-get download libvulkan1 >/dev/null 2>&1); then
      dpkg-deb -x .gpu-check/libvulkan1_*.deb .gpu-check/vulkan && rm -f .gpu-check/libvulkan1_*.deb
    else
      say "could not download libvulkan1 (apt-get update first?); the GPU machine must have libvulkan.so.1 or apt-get"
    fi
    du -sh .gpu-check dist
    say "prepared; copy dist/ and .gpu-check/ with the working tree, then run: bash bench/gpu-check.sh OUTDIR"
    exit 0
    ;;
  diagnose)
    report_machine
    print_missing
    [ ${#missing[@]} -eq 0 ] || exit 3
    exit 0
    ;;
  run) shift ;;
  ''|-h|--help)
    sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    [ -n "$mode" ] && exit 0 || exit 2
    ;;
esac

out="${1:-}"
case "$out" in
  ''|-*) say "usage: bash bench/gpu-check.sh [run] OUTDIR [options] | prepare | diagnose (--help for more)"; exit 2 ;;
esac
shift
allow_software=0 list=0
for a in "$@"; do
  case "$a" in
    --allow-software) allow_software=1 ;;
    --list-adapters) list=1 ;;
  esac
done
extra=()
[ -n "${GPU_CHECK_ADAPTER:-}" ] && extra+=(--adapter "$GPU_CHECK_ADAPTER")
[ -n "${GPU_CHECK_POWER:-}" ] && extra+=(--power "$GPU_CHECK_POWER")

mkdir -p "$out" || exit 2
exec > >(tee -a "$out/gpu-check.log") 2>&1

[ -f dist/bench/gpu-check.js ] || { say "dist/bench/gpu-check.js is missing: run 'npm run build' (or 'bash bench/gpu-check.sh prepare' on a machine with npm) and copy dist/"; exit 2; }
if [ ! -d node_modules/webgpu ] && [ -d .gpu-check/node_modules/webgpu ]; then
  # A node_modules link that leads nowhere (a copied checkout whose modules stayed behind) holds nothing: a folder replaces it.
  if [ -L node_modules ] && [ ! -e node_modules ]; then
    say "node_modules is a link to a missing folder ($(readlink node_modules)): replaced by a folder holding .gpu-check's webgpu package"
    rm node_modules
  fi
  mkdir -p node_modules && cp -r .gpu-check/node_modules/webgpu node_modules/ || { say "could not put .gpu-check's webgpu package into node_modules/"; exit 2; }
fi
report_machine
if [ $allow_software = 1 ] && [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && ! ls /dev/nvidia0 /dev/dri/renderD* >/dev/null 2>&1 && [ -e "$SWIFTSHADER_ICD" ]; then
  export VK_ICD_FILENAMES="$SWIFTSHADER_ICD"
  say "--allow-software and no GPU device node: SwiftShader ($SWIFTSHADER_ICD), a CPU: a dry run, not GPU figures"
fi

timeout_s="${GPU_CHECK_TIMEOUT:-570}"
runner=(node --expose-gc dist/bench/gpu-check.js)
command -v timeout >/dev/null && runner=(timeout "$timeout_s" "${runner[@]}")
if [ $list = 1 ]; then
  "${runner[@]}" --list-adapters ${extra[@]+"${extra[@]}"}
  exit $?
fi
"${runner[@]}" --out "$out" ${extra[@]+"${extra[@]}"} "$@"
rc=$?
case $rc in
  0) say "done $(date -u +%FT%TZ): $out/gpu-check.md (section for docs/benchmarks.md), $out/gpu-check.json, $out/gpu-check.log" ;;
  3)
    print_missing "yet Dawn found no adapter: see the Vulkan lines above (VK_LOADER_DEBUG=error,warn shows the loader's view)"
    [ $allow_software = 0 ] && [ -e "$SWIFTSHADER_ICD" ] && say "a dry run of this script on the CPU: --allow-software --quick (SwiftShader; not GPU figures)"
    ;;
  4) print_missing "only a software adapter answered"; say "rerun with --allow-software for a dry run on it (CPU figures, not GPU figures)" ;;
  124) say "stopped after ${timeout_s} s (GPU_CHECK_TIMEOUT): lower --max-case-seconds / --long-seconds" ;;
esac
exit $rc
