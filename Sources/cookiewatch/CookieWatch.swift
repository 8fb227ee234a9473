import ArgumentParser

@main
struct CookieWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cookiewatch",
        abstract: "Keeps a website's published cookie charter honest.",
        version: "0.1.0",
        subcommands: []
    )
}
