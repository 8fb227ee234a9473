import Charter
import Foundation
import NetworkAddress
import StrictJSON

/// The keys of the browser engine: `engine` on sites and variants, `browser`, and `resolve`.
extension ConfigurationDecoder {
    static let browserKeys = [
        "binary", "thirdPartyCookies", "settle", "concurrency", "memoryLimitMiB", "trustedPublicKeys",
    ]

    mutating func engine(_ node: JSONNode) -> Engine? { node.oneOf(Engine.self, &diagnostics) }

    static let bannerKeys = ["click", "choice", "wait"]

    /// `banner`: `{"click": ["#customise", "#save"], "choice": "refuse", "wait": "2s"}`.
    mutating func decodeBanner(_ node: JSONNode, consent: Bool?, engine: Engine) -> Variant.Banner? {
        guard let object = JSONObject(node, keys: Self.bannerKeys, required: ["click", "choice"], &diagnostics)
        else { return nil }
        var clicks: [String] = []
        for selector in object["click"]?.nonEmptyArray(of: "CSS selector", &diagnostics) ?? [] {
            if let text = selector.nonEmptyString(&diagnostics) { clicks.append(text) }
        }
        let choice = object["choice"]?.oneOf(ConsentChoice.self, &diagnostics)
        let wait = object["wait"].flatMap { shortDuration($0) } ?? .seconds(1)
        if engine != .browser {
            diagnostics.report(
                "only the browser engine clicks a banner: set \"engine\": \"browser\" on the variant or its site",
                at: node)
        }
        if consent == true {
            diagnostics.report(
                "a variant that clicks the banner starts as a visitor who has not chosen yet: set \"consent\": false",
                at: node)
        }
        guard let choice, !clicks.isEmpty else { return nil }
        return Variant.Banner(clicks: clicks, choice: choice, wait: wait)
    }

    mutating func decodeBrowser(_ node: JSONNode) -> BrowserSettings {
        var settings = BrowserSettings()
        guard let object = JSONObject(node, keys: Self.browserKeys, &diagnostics) else { return settings }
        if let binary = object["binary"]?.nonEmptyString(&diagnostics) {
            settings.binary = ConfigurationLoader.resolve(binary, in: directory)
        }
        if let value = object["thirdPartyCookies"]?.bool(&diagnostics) { settings.thirdPartyCookies = value }
        if let value = object["settle"], let settle = shortDuration(value) { settings.settle = settle }
        if let value = object["concurrency"]?.integer(in: 1...16, &diagnostics) { settings.concurrency = value }
        if let value = object["memoryLimitMiB"]?.integer(in: 256...65_536, &diagnostics) {
            settings.memoryLimitMiB = value
        }
        for key in object["trustedPublicKeys"]?.array(&diagnostics) ?? [] {
            guard let text = key.string(&diagnostics) else { continue }
            guard let decoded = Data(base64Encoded: text), decoded.count == 32 else {
                diagnostics.report(
                    "expected the base64 SHA-256 of a certificate's public key (44 characters), got \(key.value.shortDescription)",
                    at: key)
                continue
            }
            settings.trustedPublicKeys.append(text)
        }
        return settings
    }

    /// `resolve`: host name → IP address, like curl's `--resolve`, for both engines. The address
    /// policy still applies to the address.
    mutating func decodeResolve(_ node: JSONNode) -> [String: String] {
        var mapping: [String: String] = [:]
        for (host, value) in node.members(&diagnostics) ?? [] {
            let lowered = host.lowercased()
            guard HostName.isValid(lowered) else {
                diagnostics.report(
                    "\(JSONValue.quoted(host)) is not a host name (letters, digits, '-' and '.')", at: value)
                continue
            }
            guard let text = value.string(&diagnostics) else { continue }
            guard IPAddress(text) != nil else {
                diagnostics.report("expected an IPv4 or IPv6 address, got \(value.value.shortDescription)", at: value)
                continue
            }
            mapping[lowered] = text
        }
        return mapping
    }

    /// A duration up to 30 s given in milliseconds or seconds ("500ms", "2s"), or nil after reporting.
    mutating func shortDuration(_ node: JSONNode) -> Duration? {
        guard case .string(let text) = node.value.kind, let milliseconds = Self.milliseconds(text),
            milliseconds <= 30_000
        else {
            diagnostics.report(
                "expected a duration up to 30s like \"500ms\" or \"2s\", got \(node.value.shortDescription)", at: node)
            return nil
        }
        return .milliseconds(milliseconds)
    }

    /// "500ms", "2s": milliseconds, or nil.
    static func milliseconds(_ text: String) -> Int? {
        if text.hasSuffix("ms"), let value = Int(text.dropLast(2)), value >= 0 { return value }
        if text.hasSuffix("s"), let value = Int(text.dropLast()), value >= 0, value <= 3_600 { return value * 1_000 }
        return nil
    }
}
