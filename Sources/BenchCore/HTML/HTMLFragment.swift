/// A piece of HTML (or inline SVG) that is safe to insert as it is: text only ever enters through
/// ``init(text:)`` or an attribute value, both escaped, so a string from the database cannot open a tag.
///
/// The report's builders return fragments and join them; the only unescaped text is the markup the builders write
/// themselves (tag names, attribute names, CSS, numbers).
public struct HTMLFragment: Sendable, Equatable {
    /// The markup.
    public private(set) var html: String

    /// Markup written by this module's builders (never a string from outside).
    init(markup: String) {
        html = markup
    }

    /// Text, escaped for an element's content.
    public init(text: String) {
        html = Self.escape(text)
    }

    /// No markup.
    public static let empty = HTMLFragment(markup: "")

    /// `<tag attributes>content</tag>`; attribute values are escaped.
    static func element(
        _ tag: String, _ attributes: KeyValuePairs<String, String> = [:], _ content: HTMLFragment = .empty
    ) -> HTMLFragment {
        HTMLFragment(markup: "<\(tag)\(attributeText(attributes))>\(content.html)</\(tag)>")
    }

    /// `<tag attributes>content</tag>` with escaped text content.
    static func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], text: String)
        -> HTMLFragment {
        element(tag, attributes, HTMLFragment(text: text))
    }

    /// `<tag attributes/>` (SVG) or a void element such as `<meta>`.
    static func empty(_ tag: String, _ attributes: KeyValuePairs<String, String>) -> HTMLFragment {
        HTMLFragment(markup: "<\(tag)\(attributeText(attributes))/>")
    }

    static func attributeText(_ attributes: KeyValuePairs<String, String>) -> String {
        var text = ""
        for (name, value) in attributes {
            text += " \(name)=\"\(escape(value))\""
        }
        return text
    }

    /// Appends another fragment.
    mutating func append(_ other: HTMLFragment) {
        html += other.html
    }

    static func + (lhs: HTMLFragment, rhs: HTMLFragment) -> HTMLFragment {
        HTMLFragment(markup: lhs.html + rhs.html)
    }

    /// Escapes `& < > " '` so the text is inert in element content and in quoted attribute values.
    /// (The XML escaping of the JUnit reports: `&apos;` is HTML5 too; characters XML cannot carry become U+FFFD.)
    public static func escape(_ text: String) -> String { XMLText.escape(text) }
}

extension Array where Element == HTMLFragment {
    /// The fragments one after the other.
    func joined() -> HTMLFragment {
        var text = ""
        for fragment in self { text += fragment.html }
        return HTMLFragment(markup: text)
    }
}
