"""Python's http.cookiejar doing cookie-bench's work: the same values, 40 per jar, parse + store."""
import email.message
import http.cookiejar
import resource
import sys
import time
import urllib.request

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
files = sys.argv[2:] or ["vectors/realworld.txt", "Benchmarks/extra-set-cookie.txt"]
values = [line for f in files for line in open(f, encoding="utf-8").read().split("\n") if line]
PER_PAGE = 40


class Response:
    def __init__(self, headers):
        self._headers = headers

    def info(self):
        return self._headers


request = urllib.request.Request("https://www.example.com/account/")
start = time.perf_counter()
stored = 0
for page in range(0, count, PER_PAGE):
    jar = http.cookiejar.CookieJar()
    headers = email.message.Message()
    for i in range(page, min(page + PER_PAGE, count)):
        headers["Set-Cookie"] = values[i % len(values)]
    jar.extract_cookies(Response(headers), request)
    stored += len(jar)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"python http.cookiejar: {count} Set-Cookie values parsed + stored in {elapsed:.3f} s = "
      f"{int(count / elapsed)} values/s; stored {stored}; peak RSS {peak} MiB")
