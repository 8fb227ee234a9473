import Foundation
import StrictJSON

/// The keys of login journeys: `logins` on a site and `login` on a variant.
extension ConfigurationDecoder {
    static let loginKeys = [
        "name", "url", "form", "username", "usernameField", "passwordField", "passwordFile", "fields", "success",
        "logout", "selectors",
    ]
    static let selectorKeys = ["username", "password", "submit"]
    static let successKeys = ["cookie", "url", "status"]
    static let logoutKeys = ["url", "method", "csrfCookie", "csrfHeader"]

    /// `logins`: the site's journeys, each with a unique name.
    mutating func decodeLogins(_ node: JSONNode) -> [LoginJourney] {
        var decoded: [(node: JSONNode, value: LoginJourney)] = []
        for element in node.nonEmptyArray(of: "login journey", &diagnostics) ?? [] {
            if let journey = decodeLogin(element) { decoded.append((element, journey)) }
        }
        return firstOfEachName(decoded, name: \.name, what: "login journey", list: "logins")
    }

    mutating func decodeLogin(_ node: JSONNode) -> LoginJourney? {
        guard
            let object = JSONObject(
                node, keys: Self.loginKeys, required: ["name", "url", "username", "passwordFile", "success"],
                &diagnostics)
        else { return nil }
        let name = object["name"].flatMap { identifier($0) }
        // Known to the variants even when the journey has errors: they are reported once, here.
        if let name { siteLogins.insert(name) }
        let url = object["url"].flatMap { httpURL($0) }
        let form = object["form"].flatMap { $0.nonEmptyString(&diagnostics) }
        let username = object["username"].flatMap { $0.nonEmptyString(&diagnostics) }
        let usernameField = object["usernameField"].map { formField($0) } ?? "username"
        let passwordField = object["passwordField"].map { formField($0) } ?? "password"
        let passwordFile = object["passwordFile"].flatMap { secretFile($0, what: "password") }
        if let usernameField, usernameField == passwordField,
            let node = object["passwordField"] ?? object["usernameField"]
        {
            diagnostics.report(
                "the user name and the password cannot go in the same field \(JSONValue.quoted(usernameField))",
                at: node)
        }
        var fields: [LoginJourney.Field] = []
        for (key, value) in object["fields"]?.members(&diagnostics) ?? [] {
            guard let text = value.string(&diagnostics) else { continue }
            if [usernameField, passwordField].contains(key) {
                diagnostics.report(
                    "\(JSONValue.quoted(key)) is the user name or password field: give it in \"username\" or \"passwordFile\"",
                    at: value)
                continue
            }
            fields.append(LoginJourney.Field(name: key, value: text))
        }
        let success = object["success"].flatMap { decodeSuccess($0) }
        let logout = object["logout"].flatMap { decodeLogout($0) }
        var selectors: LoginJourney.Selectors?
        if let node = object["selectors"],
            let fields = JSONObject(node, keys: Self.selectorKeys, required: Self.selectorKeys, &diagnostics),
            let username = fields["username"]?.nonEmptyString(&diagnostics),
            let password = fields["password"]?.nonEmptyString(&diagnostics),
            let submit = fields["submit"]?.nonEmptyString(&diagnostics)
        {
            selectors = LoginJourney.Selectors(username: username, password: password, submit: submit)
        }
        guard let name, let url, let username, let usernameField, let passwordField, let passwordFile, let success,
            usernameField != passwordField
        else { return nil }
        var journey = LoginJourney(
            name: name, url: url, form: form, username: username, usernameField: usernameField,
            passwordField: passwordField, passwordFile: passwordFile, fields: fields, success: success,
            logout: logout)
        journey.selectors = selectors
        return journey
    }

    /// A form field name: what the login form's `<input name=...>` says.
    mutating func formField(_ node: JSONNode) -> String? {
        guard let text = node.nonEmptyString(&diagnostics) else { return nil }
        guard !text.contains(where: { $0.isNewline || $0 == "\0" }) else {
            diagnostics.report("a form field name cannot contain line breaks or NUL", at: node)
            return nil
        }
        return text
    }

    /// `success`: `{"cookie": "sessionid"}`, `{"url": "https://example.org/account/"}`, `{"status": 200}`.
    mutating func decodeSuccess(_ node: JSONNode) -> LoginJourney.SuccessRule? {
        guard let object = JSONObject(node, keys: Self.successKeys, &diagnostics) else { return nil }
        let cookie = object["cookie"].flatMap { $0.nonEmptyString(&diagnostics) }
        let url = object["url"].flatMap { httpURL($0) }
        var status = object["status"].flatMap { $0.integer(in: 100...599, &diagnostics) }
        if let given = status, (300...399).contains(given), let node = object["status"] {
            diagnostics.report(
                "a login's redirects are followed, so it never ends with a \(given): give the status of the page it ends on",
                at: node)
            status = nil
        }
        guard object["cookie"] != nil || object["url"] != nil || object["status"] != nil else {
            diagnostics.report(
                "the success rule is empty: give \"cookie\" (a cookie stored after the login), \"url\" (where the login ends) or \"status\"",
                at: node)
            return nil
        }
        guard object["cookie"] == nil || cookie != nil, object["url"] == nil || url != nil,
            object["status"] == nil || status != nil
        else { return nil }
        return LoginJourney.SuccessRule(cookie: cookie, url: url, status: status)
    }

    /// `logout`: `{"url": "https://example.org/accounts/logout/", "method": "POST", "csrfCookie": "csrftoken"}`.
    mutating func decodeLogout(_ node: JSONNode) -> LoginJourney.Logout? {
        guard let object = JSONObject(node, keys: Self.logoutKeys, required: ["url"], &diagnostics) else { return nil }
        let url = object["url"].flatMap { httpURL($0) }
        var method = LoginJourney.Logout.Method.post
        if let node = object["method"] {
            guard let given = node.oneOf(LoginJourney.Logout.Method.self, &diagnostics) else { return nil }
            method = given
        }
        let cookie = object["csrfCookie"].flatMap { $0.nonEmptyString(&diagnostics) }
        var header = "X-CSRFToken"
        if let node = object["csrfHeader"] {
            guard let name = node.nonEmptyString(&diagnostics), headerName(name, at: node) else { return nil }
            header = name
        }
        guard let url else { return nil }
        return LoginJourney.Logout(url: url, method: method, csrfCookie: cookie, csrfHeader: header)
    }

    /// `login` on a variant: the name of one of its site's journeys.
    mutating func variantLogin(_ node: JSONNode) -> String? {
        guard let name = node.nonEmptyString(&diagnostics) else { return nil }
        guard siteLogins.contains(name) else {
            let known =
                siteLogins.isEmpty
                ? "the site declares none in \"logins\"" : "known: \(siteLogins.sorted().joined(separator: ", "))"
            diagnostics.report("no login journey named \(JSONValue.quoted(name)) (\(known))", at: node)
            return nil
        }
        return name
    }
}
