import Config
import CookieModel
import Foundation

/// The login form chosen on the page and filled in as a browser would submit it: pure, no I/O.
struct FormSubmission: Sendable {
    /// The absolute URL the form posts to.
    var action: String
    /// `application/x-www-form-urlencoded`; holds the password.
    var body: [UInt8]

    /// Why the page's forms cannot be submitted for `journey`.
    struct Problem: Error, Sendable {
        var reason: LoginFailure.Reason
        var detail: String
    }

    /// Chooses the journey's form on `page` (by `id` or `name`, else the first with the password field),
    /// keeps its controls as a browser submits them (hidden tokens included), sets the user name, the
    /// password and the journey's fields.
    static func prepare(page: [UInt8], pageURL: String, journey: LoginJourney, password: String) throws(Problem)
        -> FormSubmission
    {
        let forms = HTMLFormReader.forms(in: page)
        let form: HTMLForm
        if let wanted = journey.form {
            guard let named = forms.first(where: { $0.id == wanted || $0.name == wanted }) else {
                throw Problem(
                    reason: .formNotFound,
                    detail: "no form with id or name \"\(wanted)\" on the page (\(describe(forms)))")
            }
            form = named
        } else {
            guard let first = forms.first(where: { $0.has(journey.passwordField) }) else {
                throw Problem(
                    reason: .formNotFound,
                    detail: "no form with a \"\(journey.passwordField)\" field on the page (\(describe(forms)))")
            }
            form = first
        }
        for field in [journey.usernameField, journey.passwordField] where !form.has(field) {
            throw Problem(
                reason: .fieldMissing,
                detail:
                    "the form has no field \"\(field)\" (fields: \(form.controls.map(\.name).filter { !$0.isEmpty }.joined(separator: ", ")))"
            )
        }
        guard form.method == "post" else {
            throw Problem(
                reason: .formRefused,
                detail:
                    "the form's method is \(form.method.uppercased()), not POST; it would put the password in the URL")
        }
        // An empty or absent action submits to the page itself.
        guard let base = URL(string: pageURL),
            let target = form.action.isEmpty ? base : URL(string: form.action, relativeTo: base)?.absoluteURL,
            let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme)
        else {
            throw Problem(
                reason: .formRefused, detail: "the form's action \"\(form.action)\" is not an http or https URL")
        }
        // The password goes only where the form came from: a form posting to another origin, or an https
        // page posting over http, is refused.
        let page = try? CookieURL(parsing: base.absoluteString).origin
        let destination = try? CookieURL(parsing: target.absoluteString).origin
        guard let page, let destination, page == destination else {
            throw Problem(
                reason: .formRefused,
                detail:
                    "the form posts to \(destination?.description ?? form.action), not to the login page's origin \(page?.description ?? pageURL): the password is sent only to the origin that served the form"
            )
        }
        var pairs = submitted(form)
        set(journey.usernameField, journey.username, in: &pairs)
        set(journey.passwordField, password, in: &pairs)
        for field in journey.fields { set(field.name, field.value, in: &pairs) }
        var action = target.absoluteString
        if let fragment = action.firstIndex(of: "#") { action = String(action[..<fragment]) }
        return FormSubmission(action: action, body: encode(pairs))
    }

    /// The controls a browser sends when the form is submitted with its first submit button.
    static func submitted(_ form: HTMLForm) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var submitter = false
        for control in form.controls where !control.disabled && (!control.name.isEmpty || control.isSubmitter) {
            switch control.type {
            case "checkbox", "radio":
                if control.checked { pairs.append((control.name, control.value)) }
            case "submit", "image":
                // The first submit button is the submitter; an unnamed one sends nothing.
                if !submitter, !control.name.isEmpty {
                    if control.type == "image" {
                        pairs += [("\(control.name).x", "0"), ("\(control.name).y", "0")]
                    } else {
                        pairs.append((control.name, control.value))
                    }
                }
                submitter = true
            case "button", "reset", "file":
                continue
            default:
                pairs.append((control.name, control.value))
            }
        }
        return pairs
    }

    /// Gives the field `name` this one value: in the place of its first control, or at the end.
    private static func set(_ name: String, _ value: String, in pairs: inout [(String, String)]) {
        guard let first = pairs.firstIndex(where: { $0.0 == name }) else {
            pairs.append((name, value))
            return
        }
        pairs[first].1 = value
        pairs = pairs.enumerated().filter { $0.offset <= first || $0.element.0 != name }.map(\.element)
    }

    /// `application/x-www-form-urlencoded` as the URL standard serialises it.
    static func encode(_ pairs: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, (name, value)) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            escape(name, into: &out)
            out.append(UInt8(ascii: "="))
            escape(value, into: &out)
        }
        return out
    }

    private static func escape(_ text: String, into out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
    }

    /// "2 forms: #search (q), login (username, password)": names only, never values.
    private static func describe(_ forms: [HTMLForm]) -> String {
        guard !forms.isEmpty else { return "it has no form" }
        let each = forms.map { form in
            let label = form.id.map { "#\($0)" } ?? form.name ?? "unnamed"
            return "\(label) (\(form.controls.map(\.name).filter { !$0.isEmpty }.joined(separator: ", ")))"
        }
        return "\(forms.count) form\(forms.count == 1 ? "" : "s"): \(each.joined(separator: "; "))"
    }
}
