import ArgumentParser
import Transport

/// The root command; `Main` runs it and maps errors to the exit codes of DESIGN.md.
struct CookieWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cookiewatch",
        abstract: "Keeps a website's published cookie charter honest.",
        version: BuildInfo.description,
        subcommands: [
            ScanCommand.self, InspectCommand.self, ExplainCommand.self, CheckConfigCommand.self, CharterCommand.self,
            DemoCommand.self, HistoryCommand.self, ReportCommand.self, BaselineCommand.self, RunCommand.self,
        ]
    )
}
