import Charter

// Matches 1,000,000 cookie names against a 5,000-entry charter, half of it patterns, and prints
// the rate. Names are a mix of exact hits, pattern hits (prefix and suffix) and undeclared names.

let entryCount = 5_000
let lookups = 1_000_000

var entries: [CharterEntry] = []
var names: [String] = []
for index in 0..<entryCount {
    let text: String
    switch index % 4 {
    case 0, 1: text = "cookie_\(index)"
    case 2: text = "_vendor\(index)_*"
    default: text = "*_suffix\(index)"
    }
    do {
        entries.append(CharterEntry(name: try NamePattern(parsing: text), category: .statistics))
    } catch {
        fatalError("benchmark pattern \(text) rejected: \(error)")
    }
}
for index in 0..<lookups {
    let slot = (index &* 7_919) % entryCount
    switch index % 5 {
    case 0, 1: names.append("cookie_\(slot - slot % 4)")
    case 2: names.append("_vendor\(slot - slot % 4 + 2)_id\(index)")
    case 3: names.append("session\(index)_suffix\(slot - slot % 4 + 3)")
    default: names.append("undeclared_\(index)")
    }
}

let charters = CharterSet([Charter(name: "benchmark", entries: entries)])
// exact, pattern, ambiguous, none
var counts = [0, 0, 0, 0]
let clock = ContinuousClock()
let elapsed = clock.measure {
    for name in names {
        switch charters.match(cookieName: name) {
        case .exact: counts[0] += 1
        case .pattern: counts[1] += 1
        case .ambiguous: counts[2] += 1
        case .none: counts[3] += 1
        }
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let rate = Int(Double(lookups) / seconds)
print("charter: \(entryCount) entries (\(entryCount / 2) patterns); \(lookups) names matched in \(elapsed)")
print("results: exact \(counts[0]), pattern \(counts[1]), ambiguous \(counts[2]), none \(counts[3])")
print("\(rate) names/second")
