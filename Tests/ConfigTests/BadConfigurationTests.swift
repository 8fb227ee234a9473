import Config
import StrictJSON
import Testing

/// Every bad config or charter paired with the exact error it must produce (blackbox_exporter's habit).
@Suite("Bad configurations and charters")
struct BadConfigurationTests {
    static let goodCharter = """
        {"name": "ok", "cookies": [{"name": "sid", "category": "necessary", "duration": "2 weeks"}]}
        """

    static let files = InMemoryFiles(
        files: [
            "charters/ok.json": goodCharter,
            "charters/duration.json": """
            {"name": "d", "cookies": [
              {"name": "sid", "category": "necessary", "duration": "a fortnight"}
            ]}
            """,
            "secrets/empty": " \n",
            "secrets/token": "t0ken",
            "charters/broken.json":
                "{\"name\": \"b\",\n \"cookies\": [\n  {\"name\": \"x\" \"category\": \"necessary\"}]}",
            "charters/patterns.json": """
            {"name": "p", "cookies": [
              {"name": "*", "category": "marketing"},
              {"name": "_ga*", "category": "statistics"},
              {"name": "_ga*", "category": "statistics"}
            ]}
            """,
        ],
        directories: ["charters", "secrets"])

    /// A config with one site whose only page has the given JSON members (after the url).
    static func page(_ members: String) -> String {
        """
        {"sites": [{"name": "s", "charters": ["charters/ok.json"], "pages": [{"url": "https://example.org/"\(members)}]}]}
        """
    }

    /// A config with one site with the given extra members.
    static func site(_ members: String, charters: String = "[\"charters/ok.json\"]") -> String {
        """
        {"sites": [{"name": "s", "charters": \(charters), "pages": [{"url": "https://example.org/"}]\(members)}]}
        """
    }

    /// A valid site followed by the given top-level members.
    static func top(_ members: String) -> String {
        """
        {"sites": [{"name": "s", "charters": ["charters/ok.json"], "pages": [{"url": "https://example.org/"}]}]\(members)}
        """
    }

    static let cases: [(String, String)] = [
        // Not JSON, or not the right shape.
        ("{\"sites\": [}", "config.json: invalid JSON: unexpected '}', expected a value (line 1, column 12)"),
        (
            "{\n  \"sites\": []\n  \"limits\": {}\n}",
            "config.json: invalid JSON: unexpected '\"', expected ',' or '}' after an object member (line 3, column 3)"
        ),
        ("[]", "config.json: expected an object, got an array (line 1, column 1)"),
        ("{}", "config.json: missing required key \"sites\" (line 1, column 1)"),
        ("{\"sites\": []}", "config.json: sites: expected at least one site (line 1, column 11)"),
        (top(", \"sites\": []"), "config.json: sites: duplicate key (line 1, column 106)"),
        (
            top(", \"site\": 1"),
            "config.json: site: unknown key, expected one of sites, schedule, limits, policy, alerts, stateDirectory, logsDirectory, allowedPrivateNetworks, historyRetention, resolve, browser, metrics (line 1, column 106)"
        ),
        // Sites.
        (
            "{\"sites\": [{\"name\": \"s\", \"pages\": [{\"url\": \"https://x.org\"}]}]}",
            "config.json: sites[0]: missing required key \"charters\" (line 1, column 12)"
        ),
        (
            "{\"sites\": [{\"name\": \"my site\", \"charters\": [\"charters/ok.json\"], \"pages\": [{\"url\": \"https://x.org\"}]}]}",
            "config.json: sites[0].name: expected a name of 1 to 64 letters, digits, '-', '_' or '.', got \"my site\" (line 1, column 21)"
        ),
        (
            site("", charters: "[]"),
            "config.json: sites[0].charters: expected at least one charter file (line 1, column 38)"
        ),
        (
            site("", charters: "\"charters/ok.json\""),
            "config.json: sites[0].charters: expected an array, got \"charters/ok.json\" (line 1, column 38)"
        ),
        (
            site("", charters: "[\"charters/ok.json\", \"charters/ok.json\"]"),
            "config.json: sites[0].charters[1]: charter \"charters/ok.json\" is listed twice (line 1, column 59)"
        ),
        (
            site("", charters: "[\"charters/missing.json\"]"),
            "config.json: sites[0].charters[0]: charter file \"charters/missing.json\" does not exist (line 1, column 39)"
        ),
        (
            site("", charters: "[\"charters\"]"),
            "config.json: sites[0].charters[0]: charter file \"charters\" is a directory, expected a JSON file (line 1, column 39)"
        ),
        (
            "{\"sites\": [{\"name\": \"s\", \"charters\": [\"charters/ok.json\"], \"pages\": [{\"url\": \"https://a.org/\"}]}, {\"name\": \"s\", \"charters\": [\"charters/ok.json\"], \"pages\": [{\"url\": \"https://b.org/\"}]}]}",
            "config.json: sites[1].name: duplicate site name \"s\", first at sites[0] (line 1, column 108)"
        ),
        // Charters named by the config.
        (
            site("", charters: "[\"charters/duration.json\"]"),
            "charters/duration.json: cookies[0].duration: cannot read the duration \"a fortnight\" of entry \"sid\"; write e.g. \"session\", \"2 weeks\", \"13 mois\", \"Up to 12 months\" (line 2, column 56)"
        ),
        (
            site("", charters: "[\"charters/broken.json\"]"),
            "charters/broken.json: invalid JSON: unexpected '\"', expected ',' or '}' after an object member (line 3, column 16)"
        ),
        // Pages and variants.
        (
            page("").replacing("https://example.org/", with: "ftp://x"),
            "config.json: sites[0].pages[0].url: expected an http or https URL, got \"ftp://x\" (line 1, column 78)"
        ),
        (
            page("").replacing("\"https://example.org/\"", with: "42"),
            "config.json: sites[0].pages[0].url: expected a string, got 42 (line 1, column 78)"
        ),
        (
            page(", \"varaints\": []"),
            "config.json: sites[0].pages[0].varaints: unknown key, expected one of url, name, variants (line 1, column 102)"
        ),
        (
            page(", \"variants\": [{\"name\": \"v\"}]"),
            "config.json: sites[0].pages[0].variants[0]: missing required key \"consent\" (line 1, column 115)"
        ),
        (
            page(", \"variants\": [{\"name\": \"v\", \"consent\": \"yes\"}]"),
            "config.json: sites[0].pages[0].variants[0].consent: expected true or false, got \"yes\" (line 1, column 140)"
        ),
        (
            page(", \"variants\": [{\"name\": \"v\", \"consent\": false}, {\"name\": \"v\", \"consent\": true}]"),
            "config.json: sites[0].pages[0].variants[1].name: duplicate variant name \"v\", first at variants[0] (line 1, column 157)"
        ),
        (
            page(
                ", \"variants\": [{\"name\": \"v\", \"consent\": true, \"headers\": {\"Authorization\": \"Bearer abc\"}}]"
            ),
            "config.json: sites[0].pages[0].variants[0].headers.Authorization: secrets are not allowed inline; give a file holding the value in \"headerFiles\" (line 1, column 175)"
        ),
        (
            page(", \"variants\": [{\"name\": \"v\", \"consent\": true, \"headers\": {\"Cookie\": \"a=b\"}}]"),
            "config.json: sites[0].pages[0].variants[0].headers.Cookie: give request cookies in \"cookies\" (line 1, column 168)"
        ),
        (
            page(", \"variants\": [{\"name\": \"v\", \"consent\": true, \"cookies\": {\"a b\": \"1\"}}]"),
            "config.json: sites[0].pages[0].variants[0].cookies[\"a b\"]: expected a cookie name (an RFC 6265 token without '*') (line 1, column 165)"
        ),
        (
            page(", \"variants\": [{\"name\": \"v\", \"consent\": true, \"cookies\": {\"consent\": \"a;b\"}}]"),
            "config.json: sites[0].pages[0].variants[0].cookies.consent: a cookie value cannot contain spaces, ';', ',', '\"', '\\' or control characters, got \"a;b\" (line 1, column 169)"
        ),
        (
            page(", \"variants\": []"),
            "config.json: sites[0].pages[0].variants: expected at least one variant (line 1, column 114)"
        ),
        // Schedule, limits, policy.
        (
            top(", \"schedule\": {\"interval\": \"1 hour\"}"),
            "config.json: schedule.interval: expected a duration like \"30s\", \"15m\", \"1h\" or \"7d\", got \"1 hour\" (line 1, column 131)"
        ),
        (
            site(", \"schedule\": {\"jitter\": \"2h\"}"),
            "config.json: sites[0].schedule.jitter: the jitter (2h) must not exceed the interval (1h) (line 1, column 127)"
        ),
        (
            top(", \"schedule\": {\"interval\": \"30s\"}"),
            "config.json: schedule.interval: expected at least 1m, got \"30s\" (line 1, column 131)"
        ),
        (
            top(", \"limits\": {\"maxRedirects\": 100}"),
            "config.json: limits.maxRedirects: expected an integer from 0 to 50, got 100 (line 1, column 133)"
        ),
        (
            top(", \"limits\": {\"bodyCapBytes\": \"5MB\"}"),
            "config.json: limits.bodyCapBytes: expected an integer from 1024 to 1073741824, got \"5MB\" (line 1, column 133)"
        ),
        (
            top(", \"limits\": {\"connectTimeout\": \"1m\", \"totalTimeout\": \"30s\"}"),
            "config.json: limits.connectTimeout: the connect timeout (1m) must not exceed the total timeout (30s) (line 1, column 135)"
        ),
        (
            top(", \"policy\": {\"consentRequired\": [\"ads\"]}"),
            "config.json: policy.consentRequired[0]: expected one of necessary, preferences, statistics, marketing, got \"ads\" (line 1, column 137)"
        ),
        (
            top(", \"policy\": {\"severity\": {\"undeclard\": \"error\"}}"),
            "config.json: policy.severity.undeclard: unknown finding kind, expected one of undeclared, set-before-consent, set-after-refusal, lifetime-exceeds-declared, lifetime-exceeds-limit, attribute-mismatch, insecure-attributes, rejected-by-browser, declared-not-seen, third-party, scan-error, ambiguous-declaration (line 1, column 143)"
        ),
        (
            top(", \"policy\": {\"severity\": {\"undeclared\": \"urgent\"}}"),
            "config.json: policy.severity.undeclared: expected one of info, low, medium, high, critical, got \"urgent\" (line 1, column 144)"
        ),
        (
            site(", \"policy\": {\"lifetimeLimit\": 395}"),
            "config.json: sites[0].policy.lifetimeLimit: expected a duration like \"30s\", \"15m\", \"1h\" or \"7d\", got 395 (line 1, column 132)"
        ),
        // Alerts, networks, directories.
        (
            top(", \"alerts\": {\"webhook\": {\"url\": \"https://h.example/\", \"token\": \"s3cret\"}}"),
            "config.json: alerts.webhook.token: unknown key, expected one of url, tokenFile (line 1, column 158)"
        ),
        (
            "{\"sites\": [{\"name\": \"s\", \"charters\": [\"charters/ok.json\"], \"pages\": [{\"url\": \"https://example.org/a\"}, {\"url\": \"https://example.org/a\"}]}]}",
            "config.json: sites[0].pages[1]: duplicate page name \"/a\" (pages with the same path need a \"name\") (line 1, column 104)"
        ),
        // Secret files are checked when the config is: check-config fails where run would.
        (
            top(", \"alerts\": {\"webhook\": {\"url\": \"https://h.example/\", \"tokenFile\": \"secrets/missing\"}}"),
            "config.json: alerts.webhook.tokenFile: the webhook token file \"secrets/missing\" does not exist (line 1, column 171)"
        ),
        (
            top(", \"alerts\": {\"webhook\": {\"url\": \"https://h.example/\", \"tokenFile\": \"secrets/empty\"}}"),
            "config.json: alerts.webhook.tokenFile: the webhook token file \"secrets/empty\" is empty (line 1, column 171)"
        ),
        (
            top(", \"alerts\": {\"webhook\": {\"url\": \"https://h.example/\", \"tokenFile\": \"secrets\"}}"),
            "config.json: alerts.webhook.tokenFile: the webhook token file \"secrets\" is a directory (line 1, column 171)"
        ),
        (
            top(
                ", \"alerts\": {\"webhook\": {\"url\": \"https://h.example/\", \"tokenFile\": \"/run/credentials/cookiewatch.service/webhook-token\"}}"
            ),
            "config.json: alerts.webhook.tokenFile: the webhook token file \"/run/credentials/cookiewatch.service/webhook-token\" does not exist (a systemd credential exists only while its unit runs; the unit's ExecStartPre runs this check there) (line 1, column 171)"
        ),
        (
            page(
                ", \"variants\": [{\"name\": \"v\", \"consent\": true, \"headerFiles\": {\"Authorization\": \"secrets/auth\"}}]"
            ),
            "config.json: sites[0].pages[0].variants[0].headerFiles.Authorization: the Authorization header file \"secrets/auth\" does not exist (line 1, column 179)"
        ),
        (
            top(", \"alerts\": {\"alertmanager\": {}}"),
            "config.json: alerts.alertmanager: missing required key \"url\" (line 1, column 133)"
        ),
        (
            top(", \"allowedPrivateNetworks\": [\"10.0.0.0\"]"),
            "config.json: allowedPrivateNetworks[0]: expected a network in CIDR notation such as \"10.0.0.0/8\" or \"fd00::/8\", got \"10.0.0.0\" (line 1, column 133)"
        ),
        (
            top(", \"allowedPrivateNetworks\": [\"10.1.2.3/8\"]"),
            "config.json: allowedPrivateNetworks[0]: \"10.1.2.3/8\" has host bits set; did you mean \"10.0.0.0/8\"? (line 1, column 133)"
        ),
        (top(", \"stateDirectory\": 7"), "config.json: stateDirectory: expected a string, got 7 (line 1, column 124)"),
        // Metrics: loopback unless said otherwise, an IPv4 address and a port.
        (
            top(", \"metrics\": {\"listen\": \"0.0.0.0:9731\"}"),

            "config.json: metrics.listen: 0.0.0.0 is not a loopback address: metrics would be served to the network; set \"allowRemote\": true in \"metrics\" to mean it (line 1, column 128)"

        ),
        (
            top(", \"metrics\": {\"listen\": \"127.0.0.1\"}"),
            "config.json: metrics.listen: expected an IPv4 address and a port such as \"127.0.0.1:9731\", got \"127.0.0.1\" (line 1, column 128)"
        ),
        (
            top(", \"metrics\": {\"listen\": \"[::1]:9731\"}"),
            "config.json: metrics.listen: \"[::1]\" is not an IPv4 address (IPv6 and host names are not supported): give one such as \"127.0.0.1:9731\" (line 1, column 128)"
        ),
        (
            top(", \"metrics\": {\"listen\": \"127.0.0.1:70000\"}"),
            "config.json: metrics.listen: expected an IPv4 address and a port such as \"127.0.0.1:9731\", got \"127.0.0.1:70000\" (line 1, column 128)"
        ),
        (
            top(", \"metrics\": {\"allowRemote\": true}"),
            "config.json: metrics: missing required key \"listen\" (line 1, column 117)"
        ),
        (
            top(", \"historyRetention\": \"12h\""),
            "config.json: historyRetention: expected at least 1d, got \"12h\" (line 1, column 126)"
        ),  // The browser engine's keys.
        (
            top(", \"resolve\": {\"site.test\": \"not-an-ip\"}"),
            "config.json: resolve[\"site.test\"]: expected an IPv4 or IPv6 address, got \"not-an-ip\" (line 1, column 131)"
        ),
        (
            top(", \"resolve\": {\"bad host\": \"127.0.0.1\"}"),
            "config.json: resolve[\"bad host\"]: \"bad host\" is not a host name (letters, digits, '-' and '.') (line 1, column 130)"
        ),
        (
            top(", \"browser\": {\"settle\": \"fast\"}"),
            "config.json: browser.settle: expected a duration up to 30s like \"500ms\" or \"2s\", got \"fast\" (line 1, column 128)"
        ),
        (
            top(", \"browser\": {\"trustedPublicKeys\": [\"abc\"]}"),
            "config.json: browser.trustedPublicKeys[0]: expected the base64 SHA-256 of a certificate's public key (44 characters), got \"abc\" (line 1, column 140)"
        ),
        (
            top(", \"browser\": {\"concurrency\": 0}"),
            "config.json: browser.concurrency: expected an integer from 1 to 16, got 0 (line 1, column 133)"
        ),
        (
            "{\"sites\": [{\"name\": \"s\", \"engine\": \"firefox\", \"charters\": [\"charters/ok.json\"], \"pages\": [{\"url\": \"https://x.org\"}]}]}",
            "config.json: sites[0].engine: expected one of http, browser, got \"firefox\" (line 1, column 36)"
        ),
        // Login journeys.
        (
            site(
                ", \"logins\": [{\"name\": \"staff\", \"url\": \"https://example.org/login/\", \"username\": \"u\", \"passwordFile\": \"secrets/missing\", \"success\": {\"cookie\": \"sessionid\"}}]"
            ),
            "config.json: sites[0].logins[0].passwordFile: the password file \"secrets/missing\" does not exist (line 1, column 203)"
        ),
        (
            page(", \"variants\": [{\"name\": \"v\", \"consent\": true, \"login\": \"staff\"}]"),
            "config.json: sites[0].pages[0].variants[0].login: no login journey named \"staff\" (the site declares none in \"logins\") (line 1, column 155)"
        ),
        (
            site(
                ", \"logins\": [{\"name\": \"staff\", \"url\": \"https://example.org/login/\", \"username\": \"u\", \"passwordFile\": \"secrets/token\", \"success\": {}}]"
            ),
            "config.json: sites[0].logins[0].success: the success rule is empty: give \"cookie\" (a cookie stored after the login), \"url\" (where the login ends) or \"status\" (line 1, column 231)"
        ),
        (
            site(
                ", \"logins\": [{\"name\": \"staff\", \"url\": \"https://example.org/login/\", \"username\": \"u\", \"passwordFile\": \"secrets/token\", \"success\": {\"status\": 200}, \"fields\": {\"password\": \"hunter2\"}}]"
            ),
            "config.json: sites[0].logins[0].fields.password: \"password\" is the user name or password field: give it in \"username\" or \"passwordFile\" (line 1, column 271)"
        ),
        (
            site(
                ", \"logins\": [{\"name\": \"staff\", \"url\": \"https://example.org/login/\", \"username\": \"u\", \"passwordFile\": \"secrets/token\", \"success\": {\"status\": 302}}]"
            ),
            "config.json: sites[0].logins[0].success.status: a login's redirects are followed, so it never ends with a 302: give the status of the page it ends on (line 1, column 242)"
        ),
        (
            site(
                ", \"logins\": [{\"name\": \"staff\", \"url\": \"https://example.org/login/\", \"username\": \"u\", \"usernameField\": \"login\", \"passwordField\": \"login\", \"passwordFile\": \"secrets/token\", \"success\": {\"status\": 200}}]"
            ),
            "config.json: sites[0].logins[0].passwordField: the user name and the password cannot go in the same field \"login\" (line 1, column 230)"
        ),
        (
            site(
                ", \"logins\": [{\"name\": \"staff\", \"url\": \"https://example.org/login/\", \"username\": \"u\", \"passwordFile\": \"secrets/token\", \"success\": {\"status\": 200}}, {\"name\": \"staff\", \"url\": \"https://example.org/login/\", \"username\": \"u\", \"passwordFile\": \"secrets/token\", \"success\": {\"status\": 200}}]"
            ),
            "config.json: sites[0].logins[1].name: duplicate login journey name \"staff\", first at logins[0] (line 1, column 258)"
        ),
    ]

    @Test("each bad input gives exactly its error", arguments: cases)
    func badInput(config: String, message: String) {
        var files = Self.files
        files.files["config.json"] = config
        let loader = ConfigurationLoader(files: files, environment: [:])
        do {
            _ = try loader.load(path: "config.json")
            Issue.record("loaded without error")
        } catch {
            #expect(error.errors.map(\.description) == [message])
        }
    }

    @Test("a charter with a '*'-only pattern and a duplicate entry reports both")
    func patternCharter() {
        var files = Self.files
        files.files["config.json"] = Self.site("", charters: "[\"charters/patterns.json\"]")
        do {
            _ = try ConfigurationLoader(files: files, environment: [:]).load(path: "config.json")
            Issue.record("loaded without error")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "charters/patterns.json: cookies[0].name: a pattern of only '*' would match every cookie; give at least one literal character, got \"*\" (line 2, column 12)",
                    "charters/patterns.json: cookies[2].name: duplicate entry \"_ga*\", first at cookies[1] (line 4, column 12)",
                ])
        }
    }

    @Test("a config, charter or secret file over its size limit is refused before it is read, naming the limit")
    func sizeLimits() {
        var files = Self.files
        files.files["charters/huge.json"] = String(repeating: " ", count: FileLimits.charter + 1)
        files.files["secrets/huge"] = String(repeating: "t", count: FileLimits.secret + 1)
        files.files["config.json"] = Self.site("", charters: "[\"charters/huge.json\"]")
        let loader = { ConfigurationLoader(files: files, environment: [:]) }
        #expect(throws: ValidationErrors.self) { try loader().load(path: "config.json") }
        do {
            _ = try loader().load(path: "config.json")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "config.json: sites[0].charters[0]: charter file \"charters/huge.json\" is 4194305 bytes, over the limit of 4 MiB (line 1, column 39)"
                ])
        }
        files.files["config.json"] = Self.top(
            ", \"alerts\": {\"webhook\": {\"url\": \"https://h.example/\", \"tokenFile\": \"secrets/huge\"}}")
        do {
            _ = try loader().load(path: "config.json")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "config.json: alerts.webhook.tokenFile: the webhook token file \"secrets/huge\" is 65537 bytes, over the limit of 64 KiB (line 1, column 171)"
                ])
        }
        files.files["big.json"] = String(repeating: " ", count: FileLimits.config + 1)
        #expect(
            throws: ValidationErrors([
                ValidationError(file: "big.json", message: "config file is 8388609 bytes, over the limit of 8 MiB")
            ])
        ) {
            try loader().load(path: "big.json")
        }
    }

    @Test("a config file that does not exist, or is a directory")
    func unreadableConfig() {
        let loader = ConfigurationLoader(files: Self.files, environment: [:])
        #expect(throws: ValidationErrors([ValidationError(file: "nope.json", message: "config file does not exist")])) {
            try loader.load(path: "nope.json")
        }
        #expect(
            throws: ValidationErrors([
                ValidationError(file: "charters", message: "config file is a directory, expected a JSON file")
            ])
        ) {
            try loader.load(path: "charters")
        }
    }

    @Test("there are at least 25 bad inputs, each with its own message")
    func tableSize() {
        #expect(Self.cases.count >= 25)
        #expect(Set(Self.cases.map(\.1)).count == Self.cases.count)
    }
}
