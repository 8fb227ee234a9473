/// How a browser visit signs in once the login page has settled: type each text into the field its
/// CSS selector finds (focused, then typed as text input, as a person does), then click `submit`.
/// The texts include the password: they go to Chromium over the pipe and nowhere else.
public struct SignInActions: Sendable {
    public struct Field: Sendable {
        public var selector: String
        public var text: String
        /// A password: typed only into an `<input type=password>`, so that it never lands in a field
        /// whose value the site shows or logs.
        public var secret: Bool

        public init(selector: String, text: String, secret: Bool = false) {
            self.selector = selector
            self.text = text
            self.secret = secret
        }
    }

    public var fields: [Field]
    public var submit: String
    /// How long to keep observing after the click (the network must also be quiet).
    public var wait: Duration

    public init(fields: [Field], submit: String, wait: Duration = .milliseconds(300)) {
        self.fields = fields
        self.submit = submit
        self.wait = wait
    }

    /// The capture's marker before the click: what follows happened once the visitor signed in.
    public static let marker = "login"
}
