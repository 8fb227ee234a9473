import JournalLogging
import Logging
import Synchronization
import Testing

final class Lines: Sendable {
    let value = Mutex<[String]>([])
    func append(_ line: String) { value.withLock { $0.append(line) } }
    var all: [String] { value.withLock { $0 } }
}

@Suite("Journal logging")
struct JournalLoggingTests {
    @Test(
        "each level carries its syslog priority prefix",
        arguments: [
            (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ])
    func priorities(_ level: Logger.Level, _ priority: Int) {
        #expect(JournalLogHandler.line(level: level, message: "m", metadata: [:]) == "<\(priority)>m\n")
    }

    @Test("a Logger writes one line per message: static text, then sorted metadata, quoted where needed")
    func lines() {
        let lines = Lines()
        var logger = Logger(label: "test") { label in JournalLogHandler(label: label) { lines.append($0) } }
        logger.logLevel = .debug
        logger[metadataKey: "site"] = "demo"
        logger.error("page fetch failed", metadata: ["url": "https://example.org/a b", "code": "timeout"])
        logger.info("scan pass done\nsecond line")
        logger.trace("not logged below the level")
        #expect(
            lines.all == [
                "<3>page fetch failed code=timeout site=demo url=\"https://example.org/a b\"\n",
                "<6>scan pass done second line site=demo\n",
            ])
    }

    @Test("repeated errors for one subject are held back for a window, then logged with the count")
    func gate() {
        var gate = RepeatedErrorGate(window: 600)
        #expect(gate.occurrence(of: "page A", at: 0) == .log(suppressed: 0))
        #expect(gate.occurrence(of: "page A", at: 60) == .suppress)
        #expect(gate.occurrence(of: "page B", at: 61) == .log(suppressed: 0))
        #expect(gate.occurrence(of: "page A", at: 300) == .suppress)
        #expect(gate.occurrence(of: "page A", at: 600) == .log(suppressed: 2))
        #expect(gate.occurrence(of: "page A", at: 700) == .suppress)
        #expect(gate.recovered("page A") == 1)
        #expect(gate.occurrence(of: "page A", at: 701) == .log(suppressed: 0))
    }
}
