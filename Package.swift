// swift-tools-version:6.2
import PackageDescription

/// Every target of ours: Swift 6 mode (from the tools version) and warnings as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "cookiewatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cookiewatch", targets: ["cookiewatch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SHA-256 for the history chain and cookie-list digests, HMAC-SHA256 for value fingerprints.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libpsl (Debian libpsl-dev) with the system's public suffix data.
        .systemLibrary(name: "CLibPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),

        // Pure: Set-Cookie parsing, the browser storage model, public-suffix checks. No I/O.
        .target(name: "CookieModel", dependencies: ["CLibPSL"], swiftSettings: strict),

        // libxml2 (Debian libxml2-dev): its HTML parser reads published charter pages.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Pure: a JSON reader that keeps positions, key paths and validation errors. No I/O.
        .target(name: "StrictJSON", swiftSettings: strict),

        // Pure: the charter registry, name patterns, declared durations, matching, policy. No I/O.
        .target(name: "Charter", dependencies: ["CookieModel", "StrictJSON"], swiftSettings: strict),

        // HTML pages through libxml2's forgiving parser: charter pages and login forms.
        .target(name: "HTMLParsing", dependencies: ["CLibXML2"], swiftSettings: strict),

        // Pure: import of published charter tables (text, Markdown, HTML) and export as tables.
        .target(
            name: "CharterTables", dependencies: ["Charter", "CLibXML2", "HTMLParsing"], swiftSettings: strict),

        // The configuration file and the charters it names; reads files through `FileSource`.
        .target(name: "Config", dependencies: ["Charter", "StrictJSON", "NetworkAddress"], swiftSettings: strict),

        // Pure: the Open Cookie Database (compiled in) as an index of what known cookies usually are.
        .target(name: "Knowledge", dependencies: ["Charter"], swiftSettings: strict),

        // Pure: observations + charters + policy → findings and the cookie table.
        .target(name: "Audit", dependencies: ["Charter", "CookieModel", "Knowledge"], swiftSettings: strict),

        // The one C shim over libcurl (Debian libcurl4-openssl-dev); only Transport imports it.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("ssl")]),
        // The libcurl client: visits, redirects hop by hop, the cookie jar across hops, safety limits.
        .target(name: "Transport", dependencies: ["CCurl", "CookieModel", "NetworkAddress"], swiftSettings: strict),
        // Pure: IP addresses and CIDR networks, shared by the configuration and the transport's address policy.
        .target(name: "NetworkAddress", swiftSettings: strict),
        // A scripted HTTP/1.1 server on POSIX sockets, for tests, the demo and the benchmark.
        .target(name: "LocalHTTP", swiftSettings: strict),
        // Configuration → visits → observations → audit: one scan pass, shared by scan, demo and the daemon.
        .target(
            name: "Scanning",
            dependencies: ["Audit", "Config", "Transport", "CookieModel", "Charter", "Browser", "Login", "Knowledge"],
            swiftSettings: strict),

        // Login journeys: the login form read with libxml2, posted through a PageFetcher, the session kept.
        .target(
            name: "Login", dependencies: ["Config", "Transport", "CookieModel", "CLibXML2", "HTMLParsing"],
            swiftSettings: strict),

        // The `browser` engine: headless Chromium over the DevTools pipe, supervised, one context per visit.
        .target(
            name: "Browser", dependencies: ["Transport", "CookieModel", "StrictJSON", "NetworkAddress"],
            swiftSettings: strict),

        // Alert delivery over libcurl: Prometheus Alertmanager's API v2.
        .target(name: "AlertDelivery", dependencies: ["Transport"], swiftSettings: strict),

        // swift-log to stderr with syslog priority prefixes for journald, and repeated-error aggregation.
        .target(
            name: "JournalLogging", dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),

        // Pure: the daemon's Prometheus metrics as a value, and the text exposition format.
        .target(name: "Metrics", swiftSettings: strict),

        // Pure: when each page variant is scanned next (grid offsets, jitter, backoff, caps).
        .target(name: "Scheduling", swiftSettings: strict),

        // The daemon's foundations: history, value fingerprints, state file, alert lifecycle and sink, sd_notify.
        .target(
            name: "Watch",
            dependencies: [
                "Audit", "Charter", "CookieModel", "StrictJSON", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        // Real processes for tests: the built binary as a child, a real Alertmanager, an sd_notify socket.
        .target(name: "ProcessTestSupport", swiftSettings: strict),
        // In-memory twins of the Watch module's I/O edges, for tests.
        .target(name: "WatchTestSupport", dependencies: ["Watch"], swiftSettings: strict),

        // Pure: drift reports from history and alert lines (streamed), rendered as Markdown, JSON and HTML.
        .target(
            name: "Report", dependencies: ["Watch", "Audit", "Charter", "CookieModel", "StrictJSON", "Knowledge"],
            swiftSettings: strict),

        // `cookiewatch run`: the scheduler loop over scans, history, state, alerts, signals and sd_notify.
        .target(
            name: "Daemon",
            dependencies: [
                "Scanning", "Scheduling", "Watch", "AlertDelivery", "JournalLogging", "Transport", "Config", "Audit",
                "Browser", "Login", "Knowledge", "Metrics", "LocalHTTP",
                "CookieModel", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The built-in sample site `cookiewatch demo` scans, with its charter and configuration.
        .target(name: "DemoSite", dependencies: ["LocalHTTP"], swiftSettings: strict),

        // Visits N local pages through CurlFetcher and through `curl --parallel`, and compares.
        .executableTarget(
            name: "fetch-bench",
            dependencies: [
                "Transport", "LocalHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "cookiewatch",
            dependencies: [
                "Audit",
                "Knowledge",
                "Browser",
                "NetworkAddress",
                "Scanning",
                "DemoSite",
                "Transport",
                "CookieModel",
                "Charter",
                "CharterTables",
                "Config",
                "StrictJSON",
                "Watch",
                "Report",
                "Daemon",
                "JournalLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // `scripts/bench-cookies`: parse + store throughput, next to Python's http.cookiejar.
        .executableTarget(
            name: "cookie-bench", dependencies: ["CookieModel"], path: "Sources/cookie-bench", swiftSettings: strict),

        // `scripts/fuzz`: libFuzzer over parsing and storage; a plain build replays inputs given as files.
        .executableTarget(
            name: "cookie-fuzz", dependencies: ["CookieModel"], path: "Sources/cookie-fuzz", swiftSettings: strict),

        // `swift run -c release charter-bench`: cookie names matched per second against a large charter.
        .executableTarget(name: "charter-bench", dependencies: ["Charter"], swiftSettings: strict),

        // `WorkGrowthTests`: the audit's and the daemon's per-page work over N synthetic pages, counted by callgrind.
        .executableTarget(
            name: "work-count",
            dependencies: ["Audit", "Charter", "Config", "CookieModel", "Daemon", "Transport", "Watch"],
            swiftSettings: strict),

        // `swift run -c release report-bench`: a year of history for 100 sites, `cookiewatch report` over it
        // next to `jq` reading the same files.
        .executableTarget(name: "report-bench", dependencies: ["Watch", "Audit"], swiftSettings: strict),

        .testTarget(
            name: "CookieModelTests", dependencies: ["CookieModel"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AuditTests", dependencies: ["Audit", "Charter", "CookieModel", "Knowledge"], swiftSettings: strict),
        .testTarget(
            name: "CLITests",
            dependencies: ["cookiewatch", "DemoSite", "LocalHTTP", "Watch", "Audit", "Report", "ProcessTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"], swiftSettings: strict),
        .testTarget(name: "CharterTests", dependencies: ["Charter", "StrictJSON"], swiftSettings: strict),
        .testTarget(
            name: "CharterTablesTests", dependencies: ["Charter", "CharterTables", "StrictJSON"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "ConfigTests", dependencies: ["Config", "Charter", "StrictJSON", "NetworkAddress"],
            swiftSettings: strict),
        .testTarget(
            name: "ScanningTests",
            dependencies: [
                "Scanning", "Audit", "Charter", "Config", "CookieModel", "Transport", "Browser", "LocalHTTP",
                "NetworkAddress", "ProcessTestSupport",
            ], swiftSettings: strict),
        .testTarget(
            name: "TransportTests",
            dependencies: ["Transport", "LocalHTTP", "CookieModel", "NetworkAddress", "ProcessTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "LocalHTTPTests", dependencies: ["LocalHTTP"], swiftSettings: strict),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "Watch", "Audit", "Config", "CookieModel", "Transport", "Scanning", "StrictJSON", "LocalHTTP",
                "ProcessTestSupport", "cookiewatch", "DemoSite",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "BrowserTests",
            dependencies: ["Browser", "Transport", "LocalHTTP", "NetworkAddress", "ProcessTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "LoginTests",
            dependencies: ["Login", "Config", "Transport", "CookieModel", "DemoSite", "LocalHTTP", "NetworkAddress"],
            swiftSettings: strict),
        .testTarget(name: "KnowledgeTests", dependencies: ["Knowledge", "Charter"], swiftSettings: strict),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"], swiftSettings: strict),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], swiftSettings: strict),
        .testTarget(
            name: "JournalLoggingTests",
            dependencies: ["JournalLogging", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(
            name: "AlertDeliveryTests",
            dependencies: ["AlertDelivery", "Transport", "LocalHTTP", "ProcessTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReportTests",
            dependencies: [
                "Report", "Watch", "Audit", "Charter", "CookieModel", "StrictJSON", "ProcessTestSupport", "Knowledge",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "WatchTests",
            dependencies: [
                "Watch", "WatchTestSupport", "Audit", "Charter", "CookieModel",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
    ]
)
