/// What a browser visit does on the consent banner once the page has settled: click each selector in
/// order, at the element's centre as a visitor would, then keep observing for `wait`.
public struct BannerClicks: Sendable, Hashable {
    public var selectors: [String]
    /// `accept` or `refuse`: recorded in the capture before the first click.
    public var choice: String
    public var wait: Duration

    public init(selectors: [String], choice: String, wait: Duration) {
        self.selectors = selectors
        self.choice = choice
        self.wait = wait
    }
}
