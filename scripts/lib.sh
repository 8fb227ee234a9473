# Shared by the scripts: install what the project needs on Debian when it is missing, saying so.
set -euo pipefail

# Debian packages the build and the tests use (chromium: the HTML report test; jq: report-bench).
COOKIEWATCH_APT_PACKAGES=(prometheus-alertmanager libcurl4-openssl-dev libssl-dev openssl libpsl-dev libxml2-dev publicsuffix pkg-config python3 chromium jq)

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
