# Shared by the scripts: install what the project needs on Debian when it is missing, saying so.
set -euo pipefail

# Debian packages the build needs, and so the demo: libcurl, OpenSSL (linked with libcurl), libpsl with
# the public suffix list, libxml2 (charter import), pkg-config.
COOKIEWATCH_BUILD_PACKAGES=(libcurl4-openssl-dev libssl-dev libpsl-dev libxml2-dev publicsuffix pkg-config)
# What the tests add: a real Alertmanager, openssl (test certificates), Chromium (the HTML report is
# checked in a real browser), python3 and jq (benchmarks and their anchors).
COOKIEWATCH_TEST_PACKAGES=(prometheus-alertmanager openssl chromium python3 jq)

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_swift() {
  command -v swift >/dev/null || { echo "swift 6.2 or later is needed on PATH (https://swift.org/install)" >&2; exit 1; }
}
