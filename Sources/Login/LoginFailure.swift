/// Why a login journey did not sign in: the step it stopped at and a stable reason, with a sentence.
/// Never holds the password, a hidden field's value or a cookie value.
public struct LoginFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Step: String, Sendable, Hashable {
        /// Reading the password file.
        case password
        /// Fetching the login page and reading its form.
        case loginPage = "login-page"
        /// Posting the form and following its redirects.
        case submit
        /// Checking the success rule.
        case success
        /// A page visited with the session.
        case session
    }

    public enum Reason: String, Sendable, Hashable {
        case passwordUnreadable = "password-unreadable"
        case fetchFailed = "fetch-failed"
        case wrongStatus = "wrong-status"
        case formNotFound = "form-not-found"
        /// The form would send the password where it must not go: a GET (the URL), another origin, http.
        case formRefused = "form-refused"
        /// A signed-in visit was sent back to the login page: the server ended the session.
        case sessionEnded = "session-ended"
        case fieldMissing = "field-missing"
        case successRuleNotMet = "success-rule-not-met"
    }

    public var journey: String
    public var step: Step
    public var reason: Reason
    public var detail: String
    /// The URL the step was at.
    public var url: String

    public init(journey: String, step: Step, reason: Reason, detail: String, url: String) {
        self.journey = journey
        self.step = step
        self.reason = reason
        self.detail = detail
        self.url = url
    }

    public var description: String {
        "login \"\(journey)\" failed at step \(step.rawValue) (\(reason.rawValue)): \(detail)"
    }
}
