/// Lifetimes as people read them in findings: "14 days", "2 hours", "session".
public enum LifetimeText {
    public static func describe(_ seconds: Int64?) -> String {
        guard let seconds else { return "session" }
        let day: Int64 = 86_400
        if seconds >= day {
            let days = Double(seconds) / Double(day)
            let whole = days.rounded()
            return abs(days - whole) < 0.05
                ? "\(Int64(whole)) day\(whole == 1 ? "" : "s")" : "\((days * 10).rounded() / 10) days"
        }
        if seconds >= 3600 { return "\(seconds / 3600) hour\(seconds / 3600 == 1 ? "" : "s")" }
        if seconds >= 60 { return "\(seconds / 60) minute\(seconds / 60 == 1 ? "" : "s")" }
        return "\(seconds) second\(seconds == 1 ? "" : "s")"
    }
}
