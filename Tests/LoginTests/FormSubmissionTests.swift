import Config
import Foundation
import Testing

@testable import Login

@Suite("Login forms: chosen, filled and encoded as a browser submits them")
struct FormSubmissionTests {
    static let journey = LoginJourney(
        name: "staff", url: "https://example.org/accounts/login/", username: "ana maría", passwordFile: "/unused",
        fields: [LoginJourney.Field(name: "remember", value: "yes")], success: LoginJourney.SuccessRule(cookie: "sid"))

    static let page = """
        <html><body>
        <form id="search" action="/search/"><input name="q" value="x"></form>
        <FORM name="signin" METHOD="POST" action="login/?next=%2Fhome%2F#top">
          <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
          <input name="username" value="prefilled">
          <input type="password" name="password">
          <input type="checkbox" name="keep" value="1" checked>
          <input type="checkbox" name="spam">
          <input type="radio" name="lang" value="fr"><input type="radio" name="lang" value="en" checked>
          <select name="tz"><option value="utc">UTC</option><option selected>Europe/Paris</option></select>
          <textarea name="note">a b</textarea>
          <input name="off" value="1" disabled>
          <input type="submit" name="go" value="Sign in"><input type="submit" name="other" value="no">
        </FORM>
        </body></html>
        """

    func prepare(_ page: String, journey: LoginJourney = journey) throws(FormSubmission.Problem) -> FormSubmission {
        try FormSubmission.prepare(
            page: Array(page.utf8), pageURL: "https://example.org/accounts/login/", journey: journey,
            password: "p@ss word/é")
    }

    @Test("the form with the password field: hidden token, checked boxes, selections and one submitter kept")
    func browserLikeBody() throws {
        let submission = try prepare(Self.page)
        #expect(submission.action == "https://example.org/accounts/login/login/?next=%2Fhome%2F")
        #expect(
            String(decoding: submission.body, as: UTF8.self)
                == "csrfmiddlewaretoken=tok%26en&username=ana+mar%C3%ADa&password=p%40ss+word%2F%C3%A9&keep=1&lang=en"
                + "&tz=Europe%2FParis&note=a+b&go=Sign+in&remember=yes")
    }

    @Test("a form chosen by id or name; the reasons a page cannot be submitted name what is missing")
    func problems() throws {
        var named = Self.journey
        named.form = "signin"
        #expect(try prepare(Self.page, journey: named).action.hasPrefix("https://example.org/accounts/login/login/"))

        named.form = "nope"
        #expect(throws: FormSubmission.Problem.self) { try prepare(Self.page, journey: named) }
        do {
            _ = try prepare(Self.page, journey: named)
        } catch {
            #expect(error.reason == .formNotFound)
            #expect(
                error.detail
                    == "no form with id or name \"nope\" on the page (2 forms: #search (q); signin (csrfmiddlewaretoken, username, password, keep, spam, lang, lang, tz, note, off, go, other))"
            )
        }
        var missing = Self.journey
        missing.usernameField = "email"
        do {
            _ = try prepare(Self.page, journey: missing)
            Issue.record("prepared without the user name field")
        } catch {
            #expect(error.reason == .fieldMissing)
            #expect(error.detail.hasPrefix("the form has no field \"email\" (fields: csrfmiddlewaretoken, username"))
        }
        do {
            _ = try prepare("<form method=get><input name=username><input name=password></form>")
            Issue.record("prepared a GET login form")
        } catch {
            #expect(error.reason == .formRefused)
            #expect(error.detail == "the form's method is GET, not POST; it would put the password in the URL")
        }
        do {
            _ = try prepare("<p>no form</p>")
            Issue.record("prepared without a form")
        } catch {
            #expect(error.detail == "no form with a \"password\" field on the page (it has no form)")
        }
        do {
            _ = try prepare(
                "<form method=post action='javascript:go()'><input name=username><input name=password></form>")
            Issue.record("prepared a javascript: action")
        } catch {
            #expect(error.detail == "the form's action \"javascript:go()\" is not an http or https URL")
        }
    }

    @Test(
        "a form posting to another origin, or from https to http, is refused: the password goes only where the form came from",
        arguments: [
            ("https://login.example.net/session", "https://login.example.net"),
            ("http://example.org/accounts/login/", "http://example.org"),
            ("https://example.org:8443/accounts/login/", "https://example.org:8443"),
        ])
    func otherOrigin(action: String, shown: String) {
        do {
            _ = try prepare("<form method=post action='\(action)'><input name=username><input name=password></form>")
            Issue.record("prepared a form posting to \(action)")
        } catch {
            #expect(error.reason == .formRefused)
            #expect(
                error.detail
                    == "the form posts to \(shown), not to the login page's origin https://example.org: the password is sent only to the origin that served the form"
            )
        }
        // The same origin written with its default port is the same origin.
        #expect(
            (try? prepare(
                "<form method=post action='https://example.org:443/x'><input name=username><input name=password></form>"
            ))
                != nil)
    }

    @Test("an unnamed first submit button is the submitter: a named one after it is not sent")
    func unnamedSubmitter() throws {
        let submission = try prepare(
            """
            <form method=post><input name=username><input type=password name=password>
            <button type=submit>Log in</button><button name=action value=register>Register</button></form>
            """)
        #expect(
            String(decoding: submission.body, as: UTF8.self)
                == "username=ana+mar%C3%ADa&password=p%40ss+word%2F%C3%A9&remember=yes")
    }
}
