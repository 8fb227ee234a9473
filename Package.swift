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
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // libpsl (Debian libpsl-dev) with the system's public suffix data.
        .systemLibrary(name: "CLibPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),

        // Pure: Set-Cookie parsing, the browser storage model, public-suffix checks. No I/O.
        .target(name: "CookieModel", dependencies: ["CLibPSL"], swiftSettings: strict),

        // The one C shim over libcurl (Debian libcurl4-openssl-dev); only Transport imports it.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("ssl")]),
        // The libcurl client: visits, redirects hop by hop, the cookie jar across hops, safety limits.
        .target(name: "Transport", dependencies: ["CCurl", "CookieModel"], swiftSettings: strict),
        // A scripted HTTP/1.1 server on POSIX sockets, for tests, the demo and the benchmark.
        .target(name: "LocalHTTP", swiftSettings: strict),
        // Visits N local pages through CurlFetcher and through `curl --parallel`, and compares.
        .executableTarget(
            name: "fetch-bench",
            dependencies: ["Transport", "LocalHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "cookiewatch",
            dependencies: [
                "CookieModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // `scripts/bench-cookies`: parse + store throughput, next to Python's http.cookiejar.
        .executableTarget(name: "cookie-bench", dependencies: ["CookieModel"], path: "Sources/cookie-bench", swiftSettings: strict),

        // `scripts/fuzz`: libFuzzer over parsing and storage; a plain build replays inputs given as files.
        .executableTarget(name: "cookie-fuzz", dependencies: ["CookieModel"], path: "Sources/cookie-fuzz", swiftSettings: strict),

        .testTarget(name: "CookieModelTests", dependencies: ["CookieModel"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["cookiewatch"], swiftSettings: strict),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "LocalHTTP", "CookieModel"], swiftSettings: strict),
        .testTarget(name: "LocalHTTPTests", dependencies: ["LocalHTTP"], swiftSettings: strict),
    ]
)
