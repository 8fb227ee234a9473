import Foundation

/// The files `cookiewatch demo` scans with, written to a directory of its own at run time.
public enum DemoFiles {
    /// `charters/opendatasoft.json` as shipped (a test keeps this copy identical to the file).
    public static let shippedCharter = #"""
        {
          "name": "Opendatasoft platform",
          "cookies": [
            {
              "name": "sessionid",
              "provider": "Opendatasoft",
              "service": "Authentification (front et back office)",
              "purpose": "Se souvenir de l'utilisateur d'une page à une autre.",
              "category": "necessary",
              "duration": "2 weeks",
              "observable": "after-login",
              "expect": {
                "secure": true,
                "httpOnly": true,
                "sameSite": "lax"
              }
            },
            {
              "name": "django_language",
              "provider": "Opendatasoft",
              "service": "Sélection de la langue (front et back office)",
              "purpose": "Se souvenir de la langue du visiteur",
              "category": "necessary",
              "duration": "12 months",
              "expect": {
                "sameSite": "lax"
              }
            },
            {
              "name": "csrftoken",
              "provider": "Opendatasoft",
              "service": "API (CSRF) (front et back office)",
              "purpose": "Récupérer des données via des appels API",
              "category": "necessary",
              "duration": "Up to 12 months",
              "expect": {
                "secure": true,
                "sameSite": "lax"
              }
            },
            {
              "name": "cookies_preferences",
              "provider": "Opendatasoft",
              "service": "Choix concernant vos préférences sur les cookies",
              "purpose": "Permet de se souvenir du choix opéré par le visiteur concernant les cookies",
              "category": "necessary",
              "duration": "6 months",
              "observable": "script"
            },
            {
              "name": "_BEAMER*",
              "provider": "Beamer",
              "service": "Notification",
              "purpose": "Recevoir des notifications sur les nouveautés produit dans l'interface",
              "category": "necessary",
              "observable": "script"
            }
          ]
        }
        """#

    /// Matomo, declared as the statistics cookie it is: it needs consent, and the demo sets it before.
    public static let analyticsCharter = #"""
        {
          "name": "Demo analytics",
          "cookies": [
            {"name": "_pk_id*", "provider": "Matomo", "purpose": "Audience measurement: distinguishes visitors",
             "category": "statistics", "duration": "13 months"}
          ]
        }
        """#

    /// The analytics charter once the drift is declared: Matomo in the CNIL's consent-exempt mode, and
    /// Google Analytics set after consent. `scan --fail-on high` passes with it.
    public static let declaredAnalyticsCharter = #"""
        {
          "name": "Demo analytics",
          "cookies": [
            {"name": "_pk_id*", "provider": "Matomo", "purpose": "Audience measurement: distinguishes visitors",
             "category": "statistics", "duration": "13 months", "consentExempt": true},
            {"name": "_ga", "provider": "Google", "purpose": "Google Analytics: distinguishes visitors",
             "category": "statistics", "duration": "2 years", "observable": "consent"}
          ]
        }
        """#

    /// The variant the demo scans signed in, as its configuration writes it.
    static let signedInVariant = #"""
        {"name": "signed-in", "consent": true, "acceptLanguage": "fr-FR,fr;q=0.9", "cookies": {"cookies_preferences": "all"}, "login": "monitor"}
        """#

    /// The demo configuration for a site served at `base` (`http://127.0.0.1:PORT`).
    public static func configuration(base: String, stateDirectory: String) -> String {
        #"""
        {
          "allowedPrivateNetworks": ["127.0.0.0/8"],
          "limits": {"connectTimeout": "2s", "totalTimeout": "10s", "maxRedirects": 5, "bodyCapBytes": 1048576,
                     "concurrency": 4, "perHostConcurrency": 4},
          "stateDirectory": "\#(stateDirectory)",
          "logsDirectory": "\#(stateDirectory)",
          "sites": [{
            "name": "demo",
            "charters": ["opendatasoft.json", "demo-analytics.json"],
            "variants": [
              {"name": "no-consent", "consent": false, "acceptLanguage": "fr-FR,fr;q=0.9"},
              {"name": "consent-accepted", "consent": true, "acceptLanguage": "fr-FR,fr;q=0.9",
               "cookies": {"cookies_preferences": "all"}}
            ],
            "logins": [{
              "name": "monitor",
              "url": "\#(base)/accounts/login/",
              "form": "login-form",
              "username": "monitor",
              "passwordFile": "demo-password",
              "success": {"cookie": "sessionid", "url": "\#(base)/accounts/profile/"},
              "logout": {"url": "\#(base)/accounts/logout/", "csrfCookie": "csrftoken"}
            }],
            "pages": [
              {"url": "\#(base)/"}, {"url": "\#(base)/fr/explore/"},
              {"url": "\#(base)/accounts/profile/", "variants": [
                \#(signedInVariant)
              ]}
            ]
          }]
        }
        """#
    }

    /// The browser engine's demo configuration: the scripted page of the site at `port`, on
    /// `demo.localhost`, seen by a first visitor and by one who accepts on the consent banner.
    public static func browserConfiguration(port: Int, stateDirectory: String) -> String {
        #"""
        {
          "allowedPrivateNetworks": ["127.0.0.0/8"],
          "resolve": {"demo.localhost": "127.0.0.1", "pixel.localhost": "127.0.0.1"},
          "browser": {"settle": "300ms"},
          "limits": {"connectTimeout": "2s", "totalTimeout": "20s"},
          "stateDirectory": "\#(stateDirectory)",
          "logsDirectory": "\#(stateDirectory)",
          "sites": [{
            "name": "demo-scripts",
            "engine": "browser",
            "charters": ["opendatasoft.json"],
            "variants": [
              {"name": "first-visit", "consent": false, "acceptLanguage": "fr-FR,fr;q=0.9"},
              {"name": "accepts-banner", "consent": false, "acceptLanguage": "fr-FR,fr;q=0.9",
               "banner": {"click": ["#accept"], "choice": "accept", "wait": "300ms"}}
            ],
            "pages": [{"url": "http://demo.localhost:\#(port)/app/"}]
          }]
        }
        """#
    }

    /// Adds a second page to the signed-in variant of the configuration at `path` (the demo site's
    /// `/fr/explore/`, visited signed in too): a variant whose pages share one login per round.
    public static func addSignedInPage(toConfiguration path: String, base: String) throws {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let explore = "{\"url\": \"\(base)/fr/explore/\"}"
        guard let range = text.range(of: explore) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        text.replaceSubrange(
            range,
            with: explore + """
                , {"url": "\(base)/fr/explore/", "name": "explore-signed-in", "variants": [\(signedInVariant)]}
                """)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Writes the configuration, both charters and the demo account's password file (`password`, the
    /// site's) into `directory`; returns the configuration's path.
    public static func write(to directory: URL, base: String, password: String, declared: Bool = false) throws
        -> String
    {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("demo-password").path
        guard
            FileManager.default.createFile(
                atPath: passwordFile, contents: Data("\(password)\n".utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: passwordFile]) }
        try Data(shippedCharter.utf8).write(to: directory.appendingPathComponent("opendatasoft.json"))
        try Data((declared ? declaredAnalyticsCharter : analyticsCharter).utf8)
            .write(to: directory.appendingPathComponent("demo-analytics.json"))
        let config = directory.appendingPathComponent("config.json")
        try Data(configuration(base: base, stateDirectory: directory.appendingPathComponent("state").path).utf8).write(
            to: config)
        if let port = URLComponents(string: base)?.port {
            let browser = browserConfiguration(
                port: port, stateDirectory: directory.appendingPathComponent("state-browser").path)
            try Data(browser.utf8).write(to: directory.appendingPathComponent("config-browser.json"))
        }
        return config.path
    }
}
