import LocalHTTP

/// The demo platform's scripted pages, for the browser engine: cookies no header shows.
///
/// `http://demo.localhost:PORT/app/` (every `*.localhost` name is a secure context for Chromium, so
/// `Secure` and third-party cookies work without TLS) sets Django's two header cookies, then:
/// - `/app/beamer.js` writes `_BEAMER_USER_ID_…` (the seed charter's `_BEAMER*`, a script cookie);
/// - an inline script writes an undeclared two-year `_ga` before any choice;
/// - a pixel on `pixel.localhost`, another site, sets `_fbp` (`SameSite=None; Secure`): third party;
/// - the consent banner's "accept" button writes `cookies_preferences` (the seed charter's).
extension DemoSite {
    static let scriptedHost = "demo.localhost"
    static let pixelHost = "pixel.localhost"

    /// The scripted page's URL.
    public var scriptedPageURL: String { "http://\(Self.scriptedHost):\(server.port)/app/" }

    func routeScriptedPages(record: @escaping @Sendable ([String]) -> Void) {
        let port = server.port
        server.route("/app/") { _ in
            let csrf = Self.token(32)
            let client = "GA1.1.\(Self.digits(10)).1764403200"
            record([csrf, client])
            return .respond(
                .page(
                    Self.scriptedPage(port: port, client: client),
                    setCookies: [
                        "django_language=fr; Max-Age=31536000; Path=/; SameSite=Lax",
                        "csrftoken=\(csrf); Max-Age=31449600; Path=/; SameSite=Lax; Secure",
                    ]))
        }
        server.route("/app/beamer.js") { _ in
            let user = Self.token(24)
            record([user])
            return .respond(
                Response(
                    headers: [HeaderLine("Content-Type", "application/javascript")],
                    body: #"document.cookie = "_BEAMER_USER_ID_d3m0=\#(user); Max-Age=31536000; Path=/";"#))
        }
        server.route("/pixel.gif") { _ in
            let browser = "fb.1.1764403200.\(Self.digits(10))"
            record([browser])
            return .respond(
                Response(
                    headers: [
                        HeaderLine("Content-Type", "image/gif"),
                        HeaderLine("Set-Cookie", "_fbp=\(browser); Max-Age=7776000; Path=/; SameSite=None; Secure"),
                    ], body: "GIF89a"))
        }
    }

    static func scriptedPage(port: Int, client: String) -> String {
        """
        <!doctype html><html lang=fr><title>Demo data portal: explore</title>
        <h1>Explore</h1>
        <script src="/app/beamer.js"></script>
        <script>document.cookie = "_ga=\(client); Max-Age=63072000; Path=/";</script>
        <img src="http://\(pixelHost):\(port)/pixel.gif" width="1" height="1" alt="">
        <div id="consent" style="position:fixed;bottom:0;left:0;right:0;height:80px">
          <button id="accept" style="width:160px;height:40px">Tout accepter</button>
        </div>
        <script>
          document.getElementById("accept").addEventListener("click", () => {
            document.cookie = "cookies_preferences=all; Max-Age=15552000; Path=/";
            document.getElementById("consent").remove();
          });
        </script>
        </html>
        """
    }
}
