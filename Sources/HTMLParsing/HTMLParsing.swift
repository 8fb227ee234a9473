import CLibXML2

/// An HTML page through libxml2's HTML parser (forgiving, as browsers are): parsed, handed over as
/// its root element, freed.
public enum HTMLParsing {
    /// Parses `bytes` and gives `body` the root element (nil for an empty document); nil when libxml2
    /// cannot read the bytes at all. A page that declares its charset is decoded as it says; otherwise
    /// as UTF-8, not libxml2's HTML 4 default of ISO-8859-1.
    public static func withRoot<T>(of bytes: [UInt8], _ body: (xmlNodePtr?) -> T) -> T? {
        let options = Int32(
            bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue)
        _ = initialized
        let encoding: String? = declaresCharset(bytes) ? nil : "UTF-8"
        let parsed: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, encoding, options)
            }
        }
        guard let parsed else { return nil }
        defer { xmlFreeDoc(parsed) }
        return body(xmlDocGetRootElement(parsed))
    }

    /// The element's name, lowercased.
    public static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    // libxml2 asks that the parser be initialised once before it is used from several threads.
    private static let initialized: Void = xmlInitParser()

    private static func declaresCharset(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(2_048), as: UTF8.self).lowercased()
        return head.contains("charset=") || head.contains("encoding=")
    }
}
