import CookieModel
import Transport

/// What one run of a login journey left: the responses it saw and the jar the variant's pages are
/// visited with, or why it failed.
public struct LoginSession: Sendable {
    public var journey: String
    /// The login page's responses (its redirects included): before the login.
    public var pageHops: [Hop] = []
    /// The form submission's responses and their redirects: the login itself.
    public var submitHops: [Hop] = []
    /// The signed-in jar (before a failure: what the journey had stored so far).
    public var jar: CookieJar
    /// nil when the success rule held.
    public var failure: LoginFailure?

    public init(journey: String, jar: CookieJar) {
        self.journey = journey
        self.jar = jar
    }

    public var succeeded: Bool { failure == nil }
}
