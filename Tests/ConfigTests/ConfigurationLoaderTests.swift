import Charter
import Config
import Foundation
import StrictJSON
import Testing
import NetworkAddress

@Suite("Loading configurations")
struct ConfigurationLoaderTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test("config.example.json loads with the shipped Opendatasoft charter")
    func example() throws {
        let loader = ConfigurationLoader(files: LocalFileSource(), environment: [:])
        let configuration = try loader.load(path: Self.packageRoot + "/config.example.json")
        #expect(configuration.summary == "1 site, 3 pages, 5 variants, 5 charter entries")
        let site = try #require(configuration.sites.first)
        #expect(site.name == "data-example")
        #expect(configuration.metrics == MetricsSettings(host: "127.0.0.1", port: 9731))
        #expect(site.charterFiles == [Self.packageRoot + "/charters/opendatasoft.json"])
        #expect(site.charters.match(cookieName: "_BEAMER_USER_ID").entry?.provider == "Beamer")
        #expect(site.schedule == Schedule(interval: .seconds(3_600), jitter: .seconds(600)))
        #expect(site.policy.severityOverrides == [.undeclared: .high, .setBeforeConsent: .critical])
        #expect(site.pages.map(\.name) == ["/", "/explore/", "/login/"])
        #expect(site.pages[0].variants.map(\.name) == ["no-consent", "consent-accepted"])
        #expect(site.pages[0].variants.map(\.consentGiven) == [false, true])
        #expect(site.pages[0].variants[1].cookies == [Variant.RequestCookie(name: "cookies_preferences", value: "all")])
        #expect(site.pages[2].variants.map(\.name) == ["no-consent"])
        #expect(
            configuration.alerts.webhook == nil, "a webhook's token file would have to exist for the example to load")
    }

    static let minimal = """
        {"sites": [{"name": "s", "charters": ["ok.json"], "pages": [{"url": "https://example.org/a"}]}]}
        """
    static let charter = """
        {"name": "ok", "cookies": [{"name": "_ga", "category": "statistics", "duration": "13 months"}]}
        """

    @Test("defaults: policy, schedule, limits, directories from systemd's variables, a first-visit variant")
    func defaults() throws {
        let files = InMemoryFiles(files: ["/etc/cw/config.json": Self.minimal, "/etc/cw/ok.json": Self.charter])
        let loader = ConfigurationLoader(
            files: files,
            environment: ["STATE_DIRECTORY": "/var/lib/cw:/var/lib/other", "LOGS_DIRECTORY": "/var/log/cw"])
        let configuration = try loader.load(path: "/etc/cw/config.json")
        let site = try #require(configuration.sites.first)
        #expect(site.policy == Policy.standard)
        #expect(site.policy.requiresConsent(.statistics))
        #expect(!site.policy.requiresConsent(.necessary))
        #expect(site.policy.lifetimeLimit == 395 * 86_400)
        #expect(site.schedule == Schedule())
        #expect(configuration.limits == Limits())
        #expect(configuration.directories == Directories(state: "/var/lib/cw", logs: "/var/log/cw"))
        #expect(configuration.alerts.alertsLog == "/var/lib/cw/alerts.jsonl")
        #expect(configuration.allowedPrivateNetworks.isEmpty)
        #expect(configuration.historyRetention == .seconds(400 * 86_400))
        #expect(site.pages.first?.variants == [Variant.firstVisit])
        #expect(configuration.summary == "1 site, 1 page, 1 variant, 1 charter entry")
    }

    @Test("visit caps: twice the fetch caps; with browser variants the configured ones")
    func visitCaps() throws {
        func caps(_ variants: String) throws -> VisitCaps {
            let text = """
                {"limits": {"concurrency": 6, "perHostConcurrency": 3}, "browser": {"concurrency": 2},
                 "sites": [{"name": "s", "charters": ["ok.json"], "variants": [\(variants)],
                            "pages": [{"url": "https://example.org/a"}]}]}
                """
            let files = InMemoryFiles(files: ["config.json": text, "ok.json": Self.charter])
            return try ConfigurationLoader(files: files, environment: [:]).load(path: "config.json").visitCaps
        }
        #expect(try caps(#"{"name": "v", "consent": false}"#) == VisitCaps(total: 12, perHost: 6))
        #expect(
            try caps(#"{"name": "v", "consent": false}, {"name": "b", "consent": false, "engine": "browser"}"#)
                == VisitCaps(total: 6, perHost: 3))
    }

    @Test("metrics: none unless configured; beyond loopback only with allowRemote")
    func metrics() throws {
        var files = InMemoryFiles(files: ["cfg/config.json": Self.minimal, "cfg/ok.json": Self.charter])
        let loader = { ConfigurationLoader(files: files, environment: [:]) }
        #expect(try loader().load(path: "cfg/config.json").metrics == nil)
        files.files["cfg/config.json"] = Self.minimal.replacing(
            "{\"sites\"", with: "{\"metrics\": {\"listen\": \"0.0.0.0:9731\", \"allowRemote\": true}, \"sites\"")
        #expect(
            try loader().load(path: "cfg/config.json").metrics
                == MetricsSettings(host: "0.0.0.0", port: 9731, allowRemote: true))
        files.files["cfg/config.json"] = Self.minimal.replacing(
            "{\"sites\"", with: "{\"metrics\": {\"listen\": \"127.0.0.2:0\"}, \"sites\"")
        #expect(try loader().load(path: "cfg/config.json").metrics == MetricsSettings(host: "127.0.0.2", port: 0))
    }

    @Test("without systemd's variables the directories fall back; relative ones follow the config file")
    func directories() throws {
        var files = InMemoryFiles(files: ["cfg/config.json": Self.minimal, "cfg/ok.json": Self.charter])
        let fallback = try ConfigurationLoader(files: files, environment: [:]).load(path: "cfg/config.json")
        #expect(fallback.directories == Directories(state: Directories.fallbackState, logs: Directories.fallbackLogs))
        files.files["cfg/config.json"] = Self.minimal.replacing(
            "{\"sites\"", with: "{\"stateDirectory\": \"state\", \"logsDirectory\": \"/logs\", \"sites\"")
        let configured = try ConfigurationLoader(files: files, environment: ["STATE_DIRECTORY": "/ignored"]).load(
            path: "cfg/config.json")
        #expect(configured.directories == Directories(state: "cfg/state", logs: "/logs"))
    }

    @Test("per-site schedule and policy override the defaults key by key")
    func overrides() throws {
        let text = """
            {"schedule": {"interval": "2h", "jitter": "1m"},
             "policy": {"consentRequired": ["marketing", "preferences"], "durationTolerance": "2d"},
             "sites": [
               {"name": "a", "charters": ["ok.json"], "pages": [{"url": "https://a.example/"}],
                "schedule": {"jitter": "5m"}, "policy": {"lifetimeLimit": "390d"}},
               {"name": "b", "charters": ["ok.json"], "pages": [{"url": "https://b.example/"}]}],
             "limits": {"maxRedirects": 3, "perHostConcurrency": 2},
             "allowedPrivateNetworks": ["10.0.0.0/8", "fd00::/8"]}
            """
        let files = InMemoryFiles(files: ["config.json": text, "ok.json": Self.charter])
        let configuration = try ConfigurationLoader(files: files, environment: [:]).load(path: "config.json")
        let (a, b) = (configuration.sites[0], configuration.sites[1])
        #expect(a.schedule == Schedule(interval: .seconds(7_200), jitter: .seconds(300)))
        #expect(b.schedule == Schedule(interval: .seconds(7_200), jitter: .seconds(60)))
        #expect(a.policy.lifetimeLimit == 390 * 86_400)
        #expect(a.policy.durationTolerance == 2 * 86_400)
        #expect(b.policy.lifetimeLimit == 395 * 86_400)
        #expect(b.policy.consentRequired == [.marketing, .preferences])
        #expect(!b.policy.requiresConsent(.statistics))
        #expect(configuration.limits.maxRedirects == 3)
        #expect(configuration.limits.perHostConcurrency == 2)
        #expect(configuration.allowedPrivateNetworks.map(\.description) == ["10.0.0.0/8", "fd00::/8"])
        #expect(configuration.allowedPrivateNetworks[0].contains(IPAddress(unchecked: [10, 1, 2, 3])))
        #expect(!configuration.allowedPrivateNetworks[0].contains(IPAddress(unchecked: [11, 0, 0, 1])))
        #expect(configuration.summary == "2 sites, 2 pages, 2 variants, 1 charter entry")
    }

    @Test("variants carry headers, credential files resolved from the config's directory, language and agent")
    func variants() throws {
        let text = """
            {"sites": [{"name": "s", "charters": ["ok.json"], "pages": [{"url": "https://example.org/account", "name": "account",
              "variants": [{"name": "logged-in", "consent": true, "headers": {"X-Env": "staging"},
                "headerFiles": {"Authorization": "secrets/auth", "Cookie": "/run/credentials/cw/session"},
                "acceptLanguage": "fr", "userAgent": "cookiewatch"}]}]}]}
            """
        let files = InMemoryFiles(files: [
            "/etc/cw/config.json": text, "/etc/cw/ok.json": Self.charter, "/etc/cw/secrets/auth": "Bearer t\n",
            "/run/credentials/cw/session": "sid=1",
        ])
        let configuration = try ConfigurationLoader(files: files, environment: [:]).load(path: "/etc/cw/config.json")
        let variant = try #require(configuration.sites.first?.pages.first?.variants.first)
        #expect(variant.headers == [Variant.RequestHeader(name: "X-Env", value: "staging")])
        #expect(
            variant.headerFiles == [
                Variant.HeaderFile(name: "Authorization", path: "/etc/cw/secrets/auth"),
                Variant.HeaderFile(name: "Cookie", path: "/run/credentials/cw/session"),
            ])
        #expect(variant.acceptLanguage == "fr")
        #expect(variant.userAgent == "cookiewatch")
        #expect(configuration.sites.first?.pages.first?.name == "account")
    }

    @Test("two sites sharing a charter load it once and count its entries once")
    func sharedCharter() throws {
        let text = """
            {"sites": [
              {"name": "a", "charters": ["ok.json"], "pages": [{"url": "https://a.example/"}]},
              {"name": "b", "charters": ["ok.json"], "pages": [{"url": "https://b.example/"}]}]}
            """
        let files = InMemoryFiles(files: ["config.json": text, "ok.json": Self.charter])
        let configuration = try ConfigurationLoader(files: files, environment: [:]).load(path: "config.json")
        #expect(configuration.summary.hasSuffix("1 charter entry"))
        #expect(
            configuration.sites[0].charters.charters[0].identity == configuration.sites[1].charters.charters[0].identity
        )
    }

    @Test("on disk: a missing charter and a directory given as a charter are reported with their resolved paths")
    func onDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("charters"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json").path
        try Data(
            """
            {"sites": [{"name": "s", "charters": ["charters/gone.json", "charters"], "pages": [{"url": "https://x.example/"}]}]}
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        do {
            _ = try ConfigurationLoader(files: LocalFileSource(), environment: [:]).load(path: config)
            Issue.record("loaded without error")
        } catch {
            let root = directory.path
            #expect(
                error.errors.map(\.description) == [
                    "\(config): sites[0].charters[0]: charter file \"charters/gone.json\" (resolved to \"\(root)/charters/gone.json\") does not exist (line 1, column 39)",
                    "\(config): sites[0].charters[1]: charter file \"charters\" (resolved to \"\(root)/charters\") is a directory, expected a JSON file (line 1, column 61)",
                ])
        }
    }

    @Test(
        "config durations read as a whole number and one unit",
        arguments: [("30s", 30), ("15m", 900), ("1h", 3_600), ("7d", 604_800), ("0s", 0)] as [(String, Int)])
    func configDurations(text: String, seconds: Int) {
        #expect(ConfigDuration.seconds(parsing: text) == seconds)
    }

    @Test(
        "anything else is not a config duration",
        arguments: ["", "1", "h", "1 h", "1.5h", "1w", "-1d", "1h30m", "10S", "9999999999s"])
    func badConfigDurations(text: String) {
        #expect(ConfigDuration.seconds(parsing: text) == nil)
    }
}
