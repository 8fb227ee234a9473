# Shared by the scripts: install what the project needs on Debian when it is missing, saying so.
set -euo pipefail

# Debian packages the build needs, and so the demo: libcurl, OpenSSL (linked with libcurl), libpsl with
# the public suffix list, libxml2 (charter import), pkg-config.
COOKIEWATCH_BUILD_PACKAGES=(libcurl4-openssl-dev libssl-dev libpsl-dev libxml2-dev publicsuffix pkg-config)
# The demo adds Chromium: its scripted page is scanned with the browser engine.
COOKIEWATCH_DEMO_PACKAGES=(chromium-headless-shell)
# What the tests add: a real Alertmanager, a real Prometheus (scrapes the daemon; promtool lints its
# metrics), valgrind (callgrind counts the work per page), curl, openssl (test certificates), Chromium
# (the browser engine, and the HTML report checked in a real browser), python3 (the https test site), jq.
COOKIEWATCH_TEST_PACKAGES=(prometheus-alertmanager prometheus valgrind curl openssl chromium chromium-headless-shell python3 jq)

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

# Starts nginx on a free loopback port serving every path with four Set-Cookie headers (a Django-like
# site with Google Analytics), its files in WORK; prints the port. For the end-to-end benchmarks.
start_cookie_nginx() {
  # $2: the sessionid value; nginx's $request_id gives a new one per response, as a login site would.
  local work="$1" session="${2:-4f9c2a7d1b3e8f60}" port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$work/tmp"
  cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
error_log $work/error.log;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location / {
      add_header Set-Cookie "sessionid=$session; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=1209600" always;
      add_header Set-Cookie "csrftoken=Zx81kQm0b2Yt7Lp4Ws9Vd3Rf6Gh1Jk5N; Path=/; SameSite=Lax; Max-Age=31449600" always;
      add_header Set-Cookie "django_language=fr; Path=/; SameSite=Lax; Max-Age=31536000" always;
      add_header Set-Cookie "_ga=GA1.1.1234567890.1700000000; Path=/; Max-Age=63072000" always;
      default_type text/html;
      return 200 "<!doctype html><title>page</title>";
    }
  }
}
NGINX
  nginx -c "$work/nginx.conf" && echo "$port"
}

# Median wall time and median peak RSS (KiB) of RUNS runs of a command, stdout to OUT: "seconds kib".
median_time_rss() {
  local runs="$1" out="$2" work="$3"
  shift 3
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$out" 2>"$work/stderr" || true
    cat "$work/time"
  done | sort -n | awk '{ t[NR] = $1; m[NR] = $2 } END { print t[int((NR + 1) / 2)], m[int((NR + 1) / 2)] }'
}
