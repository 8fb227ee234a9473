/// Text made safe for HTML element content and double-quoted attribute values.
enum HTMLEscape {
    static func text(_ raw: String) -> String {
        // Most text has nothing to escape; byte checks avoid walking it as characters.
        guard raw.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return raw
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw.utf8.count + 16)
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "'"): out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
