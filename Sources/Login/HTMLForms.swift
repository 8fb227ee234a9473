import CLibXML2
import Foundation
import HTMLParsing

/// A `<form>` of an HTML page as a browser would submit it: its attributes and its controls in
/// document order. Values are kept only in memory, for the one submission: a hidden CSRF token is a
/// secret too.
struct HTMLForm: Sendable, Equatable {
    /// One control: `<input>`, `<select>`, `<textarea>` or `<button>`.
    struct Control: Sendable, Equatable {
        var name: String
        var value: String
        /// Lowercased `type` of an input or button (`text`, `hidden`, `password`, `checkbox`, `submit`...),
        /// `select` or `textarea`.
        var type: String
        /// For checkboxes and radio buttons: whether `checked` is set.
        var checked = false
        var disabled = false

        var isSubmitter: Bool { type == "submit" || type == "image" }
    }

    var id: String?
    var name: String?
    /// As written; resolved against the page's URL when submitted. Empty means the page itself.
    var action: String
    /// Lowercased; `get` when absent, as in HTML.
    var method: String
    var controls: [Control]

    /// Whether the form has a control named `name` (never true of an empty name).
    func has(_ name: String) -> Bool { !name.isEmpty && controls.contains { $0.name == name } }
}

/// Reads every form of an HTML page with libxml2's HTML parser (forgiving, as browsers are).
enum HTMLFormReader {
    static func forms(in bytes: [UInt8]) -> [HTMLForm] {
        HTMLParsing.withRoot(of: bytes) { root in
            var forms: [HTMLForm] = []
            collect(root, into: &forms, open: nil)
            return forms
        } ?? []
    }

    /// Walks `first` and its siblings in document order; controls join the innermost open form.
    private static func collect(_ first: xmlNodePtr?, into forms: inout [HTMLForm], open: Int?) {
        var current = first
        while let node = current {
            defer { current = node.pointee.next }
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            let element = name(of: node)
            var inside = open
            switch element {
            case "form":
                forms.append(
                    HTMLForm(
                        id: attribute(node, "id"), name: attribute(node, "name"),
                        action: attribute(node, "action") ?? "",
                        method: (attribute(node, "method") ?? "get").lowercased(), controls: []))
                inside = forms.count - 1
            case "input", "button", "select", "textarea":
                if let open, let control = control(node, element: element) { forms[open].controls.append(control) }
                if element != "button" { continue }
            default:
                break
            }
            collect(node.pointee.children, into: &forms, open: inside)
        }
    }

    private static func control(_ node: xmlNodePtr, element: String) -> HTMLForm.Control? {
        let name = attribute(node, "name") ?? ""
        let disabled = attribute(node, "disabled") != nil
        let type = (attribute(node, "type") ?? (element == "button" ? "submit" : "text")).lowercased()
        // An unnamed control sends nothing, but an unnamed submit button is still the one a browser
        // submits with when it comes first.
        guard !name.isEmpty || (["input", "button"].contains(element) && ["submit", "image"].contains(type)) else {
            return nil
        }
        switch element {
        case "select":
            var found: [(value: String, selected: Bool)] = []
            options(in: node.pointee.children, into: &found)
            let chosen = found.first { $0.selected } ?? found.first
            return HTMLForm.Control(name: name, value: chosen?.value ?? "", type: "select", disabled: disabled)
        case "textarea":
            return HTMLForm.Control(name: name, value: text(of: node), type: "textarea", disabled: disabled)
        default:
            let fallback = ["checkbox", "radio"].contains(type) ? "on" : ""
            return HTMLForm.Control(
                name: name, value: attribute(node, "value") ?? fallback, type: type,
                checked: attribute(node, "checked") != nil, disabled: disabled)
        }
    }

    private static func options(in first: xmlNodePtr?, into options: inout [(value: String, selected: Bool)]) {
        var current = first
        while let node = current {
            defer { current = node.pointee.next }
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            if name(of: node) == "option" {
                options.append(
                    (
                        attribute(node, "value") ?? text(of: node).trimmingCharacters(in: .whitespacesAndNewlines),
                        attribute(node, "selected") != nil
                    ))
            } else {
                self.options(in: node.pointee.children, into: &options)
            }
        }
    }

    private static func name(of node: xmlNodePtr) -> String { HTMLParsing.name(of: node) }

    /// The attribute's value (its text children joined), nil when absent; names compare case-insensitively.
    private static func attribute(_ node: xmlNodePtr, _ wanted: String) -> String? {
        var property = node.pointee.properties
        while let attribute = property {
            defer { property = attribute.pointee.next }
            guard let raw = attribute.pointee.name, String(cString: raw).lowercased() == wanted else { continue }
            var value = ""
            var child = attribute.pointee.children
            while let text = child {
                if let content = text.pointee.content { value += String(cString: content) }
                child = text.pointee.next
            }
            return value
        }
        return nil
    }

    /// The text inside an element (a `<textarea>`'s value, an `<option>`'s label).
    private static func text(of node: xmlNodePtr) -> String {
        var out = ""
        var current = node.pointee.children
        while let child = current {
            if child.pointee.type == XML_TEXT_NODE || child.pointee.type == XML_CDATA_SECTION_NODE,
                let content = child.pointee.content
            {
                out += String(cString: content)
            } else if child.pointee.type == XML_ELEMENT_NODE {
                out += text(of: child)
            }
            current = child.pointee.next
        }
        return out
    }
}
