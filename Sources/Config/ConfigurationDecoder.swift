import Charter
import Foundation
import StrictJSON
import NetworkAddress

/// Walks the config document, applying defaults and checking every value.
struct ConfigurationDecoder {
    var diagnostics: Diagnostics
    /// The config file's directory: relative paths in the config are relative to it.
    let directory: String
    let loader: ConfigurationLoader
    /// Charters already loaded, by resolved path: sites sharing one read it once.
    var charters: [String: Charter?] = [:]
    /// Secret files already checked, by resolved path, with the problem found (nil when usable).
    var secretFiles: [String: String?] = [:]
    /// The login journey names of the site being decoded, for its variants' `login`.
    var siteLogins: Set<String> = []

    static let topKeys = [
        "sites", "schedule", "limits", "policy", "alerts", "stateDirectory", "logsDirectory", "allowedPrivateNetworks",
        "historyRetention", "resolve", "browser", "metrics",
    ]
    static let siteKeys = ["name", "charters", "pages", "variants", "schedule", "policy", "engine", "logins"]
    static let pageKeys = ["url", "name", "variants"]
    static let variantKeys = [
        "name", "consent", "cookies", "headers", "headerFiles", "acceptLanguage", "userAgent", "engine", "banner",
        "login",
    ]
    static let scheduleKeys = ["interval", "jitter"]
    static let limitsKeys = [
        "connectTimeout", "totalTimeout", "maxRedirects", "bodyCapBytes", "concurrency", "perHostConcurrency",
    ]
    static let policyKeys = [
        "consentRequired", "lifetimeLimit", "durationTolerance", "severity", "declaredNotSeenAfterScans",
        "scanErrorAfterFailures",
    ]
    static let alertsKeys = ["webhook", "alertmanager", "repeatInterval"]

    mutating func decode(_ root: JSONNode) -> Configuration? {
        guard let top = JSONObject(root, keys: Self.topKeys, required: ["sites"], &diagnostics) else { return nil }
        let schedule = top["schedule"].map { decodeSchedule($0, base: Schedule()) } ?? Schedule()
        let policy = top["policy"].map { decodePolicy($0, base: .standard) } ?? .standard
        let limits = top["limits"].map { decodeLimits($0) } ?? Limits()
        let directories = Directories(
            state: directoryValue(
                top["stateDirectory"], environment: "STATE_DIRECTORY", fallback: Directories.fallbackState),
            logs: directoryValue(
                top["logsDirectory"], environment: "LOGS_DIRECTORY", fallback: Directories.fallbackLogs))
        let alerts = decodeAlerts(top["alerts"], stateDirectory: directories.state)
        let networks = top["allowedPrivateNetworks"].map { decodeNetworks($0) } ?? []
        let retention = top["historyRetention"].flatMap { duration($0, minimum: 86_400) }.map { Duration.seconds($0) }
        var sites: [Site] = []
        var firstSite: [String: Int] = [:]
        for node in top["sites"]?.nonEmptyArray(of: "site", &diagnostics) ?? [] {
            guard let site = decodeSite(node, schedule: schedule, policy: policy) else { continue }
            if let first = firstSite[site.name] {
                diagnostics.report(
                    "duplicate site name \(JSONValue.quoted(site.name)), first at sites[\(first)]",
                    path: node.path.appending("name"), position: JSONObject.position(of: "name", in: node))
                continue
            }
            firstSite[site.name] = sites.count
            sites.append(site)
        }
        var configuration = Configuration(
            file: diagnostics.file, sites: sites, limits: limits, alerts: alerts, directories: directories,
            allowedPrivateNetworks: networks, historyRetention: retention ?? Configuration.defaultHistoryRetention)
        configuration.resolve = top["resolve"].map { decodeResolve($0) } ?? [:]
        configuration.browser = top["browser"].map { decodeBrowser($0) } ?? BrowserSettings()
        configuration.metrics = top["metrics"].flatMap { decodeMetrics($0) }
        return configuration
    }

    // MARK: - Sites, pages, variants

    mutating func decodeSite(_ node: JSONNode, schedule: Schedule, policy: Policy) -> Site? {
        guard let object = JSONObject(node, keys: Self.siteKeys, required: ["name", "charters", "pages"], &diagnostics)
        else { return nil }
        let name = object["name"].flatMap { identifier($0) }
        let siteSchedule = object["schedule"].map { decodeSchedule($0, base: schedule) } ?? schedule
        let sitePolicy = object["policy"].map { decodePolicy($0, base: policy) } ?? policy
        let siteEngine = object["engine"].map { engine($0) } ?? .http
        siteLogins = []
        let logins = object["logins"].map { decodeLogins($0) } ?? []
        let siteVariants = object["variants"].flatMap { decodeVariants($0, siteEngine: siteEngine ?? .http) }
        var charterFiles: [String] = []
        var loaded: [Charter] = []
        for charterNode in object["charters"]?.nonEmptyArray(of: "charter file", &diagnostics) ?? [] {
            guard let written = charterNode.nonEmptyString(&diagnostics) else { continue }
            let path = ConfigurationLoader.resolve(written, in: directory)
            if charterFiles.contains(path) {
                diagnostics.report("charter \(JSONValue.quoted(written)) is listed twice", at: charterNode)
                continue
            }
            if charters[path] == nil { charters[path] = loader.loadCharter(path, at: charterNode, &diagnostics) }
            guard let charter = charters[path] ?? nil else { continue }
            charterFiles.append(path)
            loaded.append(charter)
        }
        let pageNodes = object["pages"]?.nonEmptyArray(of: "page", &diagnostics) ?? []
        var pages: [Page] = []
        pages.reserveCapacity(pageNodes.count)
        // By name in a set: a search of the list per page made a 50,000-page config take 9 s.
        var pageNames: Set<String> = []
        pageNames.reserveCapacity(pageNodes.count)
        // One array shared by every page that does not name its own variants (one each was 168 bytes a page).
        let defaultVariants = siteVariants ?? [.firstVisit]
        for pageNode in pageNodes {
            guard let page = decodePage(pageNode, defaultVariants: defaultVariants, siteEngine: siteEngine ?? .http)
            else {
                continue
            }
            guard pageNames.insert(page.name).inserted else {
                diagnostics.report(
                    "duplicate page name \(JSONValue.quoted(page.name)) (pages with the same path need a \"name\")",
                    at: pageNode)
                continue
            }
            pages.append(page)
        }
        guard let name else { return nil }
        var site = Site(
            name: name, pages: pages, charterFiles: charterFiles, charters: CharterSet(loaded), schedule: siteSchedule,
            policy: sitePolicy, engine: siteEngine ?? .http)
        site.logins = logins
        return site
    }

    mutating func decodePage(_ node: JSONNode, defaultVariants: [Variant], siteEngine: Engine) -> Page? {
        guard let object = JSONObject(node, keys: Self.pageKeys, required: ["url"], &diagnostics) else { return nil }
        let url = object["url"].flatMap { pageURL($0) }
        let name = object["name"].flatMap { identifier($0) }
        let variants = object["variants"].flatMap { decodeVariants($0, siteEngine: siteEngine) }
        guard let url else { return nil }
        return Page(
            name: name ?? (url.path.isEmpty ? "/" : url.path), url: url.text, variants: variants ?? defaultVariants)
    }

    mutating func decodeVariants(_ node: JSONNode, siteEngine: Engine) -> [Variant]? {
        guard let elements = node.nonEmptyArray(of: "variant", &diagnostics) else { return nil }
        var decoded: [(node: JSONNode, value: Variant)] = []
        for element in elements {
            if let variant = decodeVariant(element, siteEngine: siteEngine) { decoded.append((element, variant)) }
        }
        return firstOfEachName(decoded, name: \.name, what: "variant", list: "variants")
    }

    /// Keeps the first element of each name; a later one is reported at its `name`, pointing at the first
    /// (`list[index]`, its place in the array).
    mutating func firstOfEachName<T>(
        _ decoded: [(node: JSONNode, value: T)], name: (T) -> String, what: String, list: String
    ) -> [T] {
        var kept: [T] = []
        var first: [String: Int] = [:]
        for (element, value) in decoded {
            guard case .index(let index) = element.path.lastComponent else { continue }
            if let earlier = first[name(value)] {
                diagnostics.report(
                    "duplicate \(what) name \(JSONValue.quoted(name(value))), first at \(list)[\(earlier)]",
                    path: element.path.appending("name"), position: JSONObject.position(of: "name", in: element))
                continue
            }
            first[name(value)] = index
            kept.append(value)
        }
        return kept
    }

    mutating func decodeVariant(_ node: JSONNode, siteEngine: Engine) -> Variant? {
        guard let object = JSONObject(node, keys: Self.variantKeys, required: ["name", "consent"], &diagnostics) else {
            return nil
        }
        let name = object["name"].flatMap { identifier($0) }
        let consent = object["consent"]?.bool(&diagnostics)
        let cookies = object["cookies"].map { decodeCookies($0) } ?? []
        let headers = object["headers"].map { decodeHeaders($0) } ?? []
        let headerFiles = object["headerFiles"].map { decodeHeaderFiles($0) } ?? []
        let acceptLanguage = object["acceptLanguage"].flatMap { headerValue($0) }
        let userAgent = object["userAgent"].flatMap { headerValue($0) }
        let variantEngine = object["engine"].flatMap { engine($0) }
        var banner: Variant.Banner?
        if let node = object["banner"] {
            banner = decodeBanner(node, consent: consent, engine: variantEngine ?? siteEngine)
        }
        let login = object["login"].flatMap { variantLogin($0) }
        guard let name, let consent else { return nil }
        var variant = Variant(
            name: name, consentGiven: consent, cookies: cookies, headers: headers, headerFiles: headerFiles,
            acceptLanguage: acceptLanguage, userAgent: userAgent, engine: variantEngine)
        variant.banner = banner
        variant.login = login
        return variant
    }

    mutating func decodeCookies(_ node: JSONNode) -> [Variant.RequestCookie] {
        var cookies: [Variant.RequestCookie] = []
        for (name, valueNode) in node.members(&diagnostics) ?? [] {
            let validName = (try? NamePattern(parsing: name)).map(\.isExact) == true
            guard validName else {
                diagnostics.report("expected a cookie name (an RFC 6265 token without '*')", at: valueNode)
                continue
            }
            guard let value = valueNode.string(&diagnostics) else { continue }
            let forbidden: Set<Character> = [";", ",", "\"", "\\", " "]
            if value.contains(where: {
                forbidden.contains($0) || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true
            }) {
                diagnostics.report(
                    "a cookie value cannot contain spaces, ';', ',', '\"', '\\' or control characters, got \(valueNode.value.shortDescription)",
                    at: valueNode)
                continue
            }
            cookies.append(Variant.RequestCookie(name: name, value: value))
        }
        return cookies
    }

    // Each of these has its own key, so that a value is never given two ways.
    static let headersWithOwnKey: [String: String] = [
        "cookie": "give request cookies in \"cookies\"",
        "authorization": "secrets are not allowed inline; give a file holding the value in \"headerFiles\"",
        "proxy-authorization": "secrets are not allowed inline; give a file holding the value in \"headerFiles\"",
        "user-agent": "give the user agent in \"userAgent\"",
        "accept-language": "give the language in \"acceptLanguage\"",
    ]

    mutating func decodeHeaders(_ node: JSONNode) -> [Variant.RequestHeader] {
        var headers: [Variant.RequestHeader] = []
        for (name, valueNode) in node.members(&diagnostics) ?? [] {
            if let advice = Self.headersWithOwnKey[name.lowercased()] {
                diagnostics.report(advice, at: valueNode)
                continue
            }
            guard headerName(name, at: valueNode), let value = headerValue(valueNode) else { continue }
            headers.append(Variant.RequestHeader(name: name, value: value))
        }
        return headers
    }

    mutating func decodeHeaderFiles(_ node: JSONNode) -> [Variant.HeaderFile] {
        var files: [Variant.HeaderFile] = []
        for (name, pathNode) in node.members(&diagnostics) ?? [] {
            guard headerName(name, at: pathNode), let path = secretFile(pathNode, what: "\(name) header") else {
                continue
            }
            files.append(Variant.HeaderFile(name: name, path: path))
        }
        return files
    }

    mutating func headerName(_ name: String, at node: JSONNode) -> Bool {
        let separators = Set("()<>@,;:\\\"/[]?={} \t")
        let valid =
            !name.isEmpty
            && name.allSatisfy {
                $0.isASCII && !separators.contains($0) && $0.asciiValue.map { $0 > 0x20 && $0 < 0x7F } == true
            }
        if !valid { diagnostics.report("expected a header name (an RFC 9110 token)", at: node) }
        return valid
    }

    mutating func headerValue(_ node: JSONNode) -> String? {
        guard let value = node.string(&diagnostics) else { return nil }
        if value.contains(where: { $0.isNewline || $0 == "\0" }) {
            diagnostics.report("a header value cannot contain line breaks or NUL", at: node)
            return nil
        }
        return value
    }

    // MARK: - Schedule, limits, policy, alerts

    mutating func decodeSchedule(_ node: JSONNode, base: Schedule) -> Schedule {
        guard let object = JSONObject(node, keys: Self.scheduleKeys, &diagnostics) else { return base }
        var schedule = base
        if let interval = object["interval"], let seconds = duration(interval, minimum: 60) {
            schedule.interval = .seconds(seconds)
        }
        if let jitter = object["jitter"], let seconds = duration(jitter, minimum: 0) {
            schedule.jitter = .seconds(seconds)
        }
        if schedule.jitter > schedule.interval {
            let place = object["jitter"] ?? object["interval"] ?? node
            diagnostics.report(
                "the jitter (\(Self.text(schedule.jitter))) must not exceed the interval (\(Self.text(schedule.interval)))",
                at: place)
        }
        return schedule
    }

    mutating func decodeLimits(_ node: JSONNode) -> Limits {
        var limits = Limits()
        guard let object = JSONObject(node, keys: Self.limitsKeys, &diagnostics) else { return limits }
        if let value = object["connectTimeout"], let seconds = duration(value, minimum: 1) {
            limits.connectTimeout = .seconds(seconds)
        }
        if let value = object["totalTimeout"], let seconds = duration(value, minimum: 1) {
            limits.totalTimeout = .seconds(seconds)
        }
        if let value = object["maxRedirects"]?.integer(in: 0...50, &diagnostics) { limits.maxRedirects = value }
        if let value = object["bodyCapBytes"]?.integer(in: 1_024...1_073_741_824, &diagnostics) {
            limits.bodyCapBytes = value
        }
        if let value = object["concurrency"]?.integer(in: 1...256, &diagnostics) { limits.concurrency = value }
        if let value = object["perHostConcurrency"]?.integer(in: 1...64, &diagnostics) {
            limits.perHostConcurrency = value
        }
        if limits.connectTimeout > limits.totalTimeout, let place = object["connectTimeout"] {
            diagnostics.report(
                "the connect timeout (\(Self.text(limits.connectTimeout))) must not exceed the total timeout (\(Self.text(limits.totalTimeout)))",
                at: place)
        }
        if limits.perHostConcurrency > limits.concurrency, let place = object["perHostConcurrency"] {
            diagnostics.report("must not exceed concurrency (\(limits.concurrency))", at: place)
        }
        return limits
    }

    mutating func decodePolicy(_ node: JSONNode, base: Policy) -> Policy {
        guard let object = JSONObject(node, keys: Self.policyKeys, &diagnostics) else { return base }
        var policy = base
        if let list = object["consentRequired"]?.array(&diagnostics) {
            var categories = Set<CookieCategory>()
            for element in list {
                guard let category = element.oneOf(CookieCategory.self, &diagnostics) else { continue }
                if !categories.insert(category).inserted {
                    diagnostics.report("\(JSONValue.quoted(category.rawValue)) is listed twice", at: element)
                }
            }
            policy.consentRequired = categories
        }
        if let value = object["lifetimeLimit"], let seconds = duration(value, minimum: 1) {
            policy.lifetimeLimit = seconds
        }
        if let value = object["durationTolerance"], let seconds = duration(value, minimum: 0) {
            policy.durationTolerance = seconds
        }
        if let severity = object["severity"] {
            let kinds = FindingKind.allCases.map(\.rawValue).joined(separator: ", ")
            for (key, valueNode) in severity.members(&diagnostics) ?? [] {
                guard let kind = FindingKind(rawValue: key) else {
                    diagnostics.report("unknown finding kind, expected one of \(kinds)", at: valueNode)
                    continue
                }
                if let level = valueNode.oneOf(Severity.self, &diagnostics) { policy.severityOverrides[kind] = level }
            }
        }
        if let value = object["declaredNotSeenAfterScans"]?.integer(in: 1...1_000, &diagnostics) {
            policy.declaredNotSeenAfterScans = value
        }
        if let value = object["scanErrorAfterFailures"]?.integer(in: 1...1_000, &diagnostics) {
            policy.scanErrorAfterFailures = value
        }
        return policy
    }

    mutating func decodeAlerts(_ node: JSONNode?, stateDirectory: String) -> AlertSinks {
        var sinks = AlertSinks(
            alertsLog: ConfigurationLoader.resolve("alerts.jsonl", in: stateDirectory), webhook: nil, alertmanager: nil,
            repeatInterval: .seconds(86_400))
        guard let node, let object = JSONObject(node, keys: Self.alertsKeys, &diagnostics) else { return sinks }
        if let webhook = object["webhook"],
            let hook = JSONObject(webhook, keys: ["url", "tokenFile"], required: ["url"], &diagnostics),
            let url = hook["url"].flatMap({ httpURL($0) })
        {
            let token = hook["tokenFile"].flatMap { secretFile($0, what: "webhook token") }
            sinks.webhook = AlertSinks.Webhook(url: url, tokenFile: token)
        }
        if let manager = object["alertmanager"],
            let fields = JSONObject(manager, keys: ["url"], required: ["url"], &diagnostics),
            let url = fields["url"].flatMap({ httpURL($0) })
        {
            sinks.alertmanager = AlertSinks.Alertmanager(url: url)
        }
        if let value = object["repeatInterval"], let seconds = duration(value, minimum: 60) {
            sinks.repeatInterval = .seconds(seconds)
        }
        return sinks
    }

    mutating func decodeNetworks(_ node: JSONNode) -> [IPNetwork] {
        var networks: [IPNetwork] = []
        for element in node.array(&diagnostics) ?? [] {
            guard let text = element.string(&diagnostics) else { continue }
            guard text.contains("/"), let network = try? IPNetwork(parsing: text) else {
                diagnostics.report(
                    "expected a network in CIDR notation such as \"10.0.0.0/8\" or \"fd00::/8\", got \(element.value.shortDescription)",
                    at: element)
                continue
            }
            guard !network.hasHostBits else {
                diagnostics.report(
                    "\(JSONValue.quoted(text)) has host bits set; did you mean \(JSONValue.quoted(network.masked.description))?",
                    at: element)
                continue
            }
            networks.append(network)
        }
        return networks
    }

    // MARK: - Values

    mutating func directoryValue(_ node: JSONNode?, environment key: String, fallback: String) -> String {
        if let node {
            guard let text = node.nonEmptyString(&diagnostics) else { return fallback }
            return ConfigurationLoader.resolve(text, in: directory)
        }
        // systemd passes several directories separated by ':' when the unit lists several.
        if let value = loader.environment[key], let first = value.split(separator: ":").first { return String(first) }
        return fallback
    }

    mutating func duration(_ node: JSONNode, minimum: Int) -> Int? {
        guard case .string(let text) = node.value.kind, let seconds = ConfigDuration.seconds(parsing: text) else {
            diagnostics.report("\(ConfigDuration.expected), got \(node.value.shortDescription)", at: node)
            return nil
        }
        guard seconds >= minimum else {
            diagnostics.report(
                "expected at least \(Self.text(.seconds(minimum))), got \(node.value.shortDescription)", at: node)
            return nil
        }
        return seconds
    }

    mutating func httpURL(_ node: JSONNode) -> String? { pageURL(node)?.text }

    /// An http or https URL with a host, and its path (a page's default name). A plain URL
    /// (`PlainHTTPURL`) is read from its bytes; any other is parsed by URLComponents.
    mutating func pageURL(_ node: JSONNode) -> (text: String, path: String)? {
        guard let text = node.string(&diagnostics) else { return nil }
        if let path = PlainHTTPURL.path(text) { return (text, path) }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            diagnostics.report("expected an http or https URL, got \(node.value.shortDescription)", at: node)
            return nil
        }
        return (text, components.path)
    }

    /// Names of sites, pages and variants appear in alerts, file names and metrics labels.
    mutating func identifier(_ node: JSONNode) -> String? {
        guard let text = node.string(&diagnostics) else { return nil }
        let valid =
            !text.isEmpty && text.count <= 64
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        guard valid else {
            diagnostics.report(
                "expected a name of 1 to 64 letters, digits, '-', '_' or '.', got \(node.value.shortDescription)",
                at: node)
            return nil
        }
        return text
    }

    /// A duration as the config writes it: "90s" stays in seconds, whole minutes, hours and days read as such.
    static func text(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// A file holding a secret (a bearer token, a header value), resolved from the config's directory
    /// and checked now: it must exist, be readable and hold something, so that `check-config` fails
    /// where `run` would. Its bytes are read again when used (a rotated credential takes effect) and
    /// are never kept or shown here.
    mutating func secretFile(_ node: JSONNode, what: String) -> String? {
        guard let written = node.nonEmptyString(&diagnostics) else { return nil }
        let path = ConfigurationLoader.resolve(written, in: directory)
        if secretFiles[path] == nil { secretFiles[path] = problem(withSecretFile: path, what: what) }
        if let problem = secretFiles[path] ?? nil {
            diagnostics.report(problem, at: node)
            return nil
        }
        return path
    }

    private func problem(withSecretFile path: String, what: String) -> String? {
        let quoted = JSONValue.quoted(path)
        do {
            let bytes = try loader.files.read(path, limit: FileLimits.secret)
            let blank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
            return bytes.allSatisfy(blank.contains) ? "the \(what) file \(quoted) is empty" : nil
        } catch {
            // A systemd credential is mounted only for the unit's own processes.
            let hint =
                path.hasPrefix("/run/credentials/")
                ? " (a systemd credential exists only while its unit runs; the unit's ExecStartPre runs this check there)"
                : ""
            switch error {
            case .notFound: return "the \(what) file \(quoted) does not exist\(hint)"
            case .isDirectory: return "the \(what) file \(quoted) is a directory"
            case .unreadable(let reason): return "cannot read the \(what) file \(quoted): \(reason)\(hint)"
            case .tooLarge: return error.describe("the \(what) file \(quoted)")
            }
        }
    }
}
