/// How a monitor signs in to a site before scanning the page variants that need it: fetch the login
/// page, read its form (hidden fields such as Django's `csrfmiddlewaretoken` included), post the user
/// name and the password read from `passwordFile`, follow the redirects, then check `success`.
public struct LoginJourney: Sendable, Hashable {
    /// What says the login worked; every rule given must hold, and at least one is given.
    public struct SuccessRule: Sendable, Hashable {
        /// A cookie of this name is stored after the login.
        public var cookie: String?
        /// The final URL after the redirects starts with this.
        public var url: String?
        /// The final response's status.
        public var status: Int?

        public init(cookie: String? = nil, url: String? = nil, status: Int? = nil) {
            self.cookie = cookie
            self.url = url
            self.status = status
        }
    }

    /// A request that ends the server session after the variant's pages, so that a monitor does not pile
    /// up sessions.
    public struct Logout: Sendable, Hashable {
        public enum Method: String, Sendable, Hashable, CaseIterable {
            case get = "GET"
            case post = "POST"
        }

        public var url: String
        public var method: Method
        /// A cookie whose value is echoed in `csrfHeader` (Django: `csrftoken` in `X-CSRFToken`).
        public var csrfCookie: String?
        public var csrfHeader: String

        public init(url: String, method: Method = .post, csrfCookie: String? = nil, csrfHeader: String = "X-CSRFToken")
        {
            self.url = url
            self.method = method
            self.csrfCookie = csrfCookie
            self.csrfHeader = csrfHeader
        }
    }

    /// How a browser-engine variant signs in, in Chromium: the CSS selectors of the fields to type the
    /// user name and the password in, and of the button to click.
    public struct Selectors: Sendable, Hashable {
        public var username: String
        public var password: String
        public var submit: String

        public init(username: String, password: String, submit: String) {
            self.username = username
            self.password = password
            self.submit = submit
        }
    }

    /// A form field the journey sets besides the user name and the password.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The journey's name, which variants give as `login`.
    public var name: String
    /// The page holding the login form.
    public var url: String
    /// The `id` or `name` of the form; nil takes the first form with the password field.
    public var form: String?
    public var username: String
    public var usernameField: String
    public var passwordField: String
    /// The file holding the password (a systemd credential); read at each login, never kept in the config.
    public var passwordFile: String
    public var fields: [Field]
    public var success: SuccessRule
    public var logout: Logout?
    /// With these, browser-engine variants sign in in Chromium (typing and clicking as a person does);
    /// without, every variant signs in through libcurl and the session is carried into the browser.
    public var selectors: Selectors?

    public init(
        name: String, url: String, form: String? = nil, username: String, usernameField: String = "username",
        passwordField: String = "password", passwordFile: String, fields: [Field] = [], success: SuccessRule,
        logout: Logout? = nil
    ) {
        self.name = name
        self.url = url
        self.form = form
        self.username = username
        self.usernameField = usernameField
        self.passwordField = passwordField
        self.passwordFile = passwordFile
        self.fields = fields
        self.success = success
        self.logout = logout
    }
}
