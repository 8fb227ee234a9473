import NetworkAddress
import StrictJSON

/// `metrics`: `{"listen": "127.0.0.1:9731"}`, and `"allowRemote": true` to listen beyond loopback.
extension ConfigurationDecoder {
    static let metricsKeys = ["listen", "allowRemote"]

    mutating func decodeMetrics(_ node: JSONNode) -> MetricsSettings? {
        guard let object = JSONObject(node, keys: Self.metricsKeys, required: ["listen"], &diagnostics),
            let listen = object["listen"], let text = listen.nonEmptyString(&diagnostics)
        else { return nil }
        let allowRemote = object["allowRemote"]?.bool(&diagnostics) ?? false
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else {
            diagnostics.report(
                "expected an IPv4 address and a port such as \(JSONValue.quoted(MetricsSettings.defaultListen)), got \(listen.value.shortDescription)",
                at: listen)
            return nil
        }
        let host = String(text[..<colon])
        guard let address = IPAddress(host), address.isIPv4 else {
            diagnostics.report(
                "\(JSONValue.quoted(host)) is not an IPv4 address (IPv6 and host names are not supported): give one such as \(JSONValue.quoted(MetricsSettings.defaultListen))",
                at: listen)
            return nil
        }
        guard allowRemote || address.bytes[0] == 127 else {
            diagnostics.report(
                "\(host) is not a loopback address: metrics would be served to the network; set \"allowRemote\": true in \"metrics\" to mean it",
                at: listen)
            return nil
        }
        return MetricsSettings(host: address.description, port: port, allowRemote: allowRemote)
    }
}
