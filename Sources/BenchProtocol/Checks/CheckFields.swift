import BenchJSON

/// Typed reads of one object of a check document (payload or outcome) through ``JSONMembers``, refusing with a
/// ``CheckWireError`` that names the document and the member's path (`(root)` for the document itself).
typealias CheckFields = JSONMembers<CheckWireError>

extension CheckWireError: JSONMemberRefusal {
    static func missing(_ document: Document, member: String) -> CheckWireError {
        CheckWireError(document: document, member: member, reason: "missing")
    }

    static func invalid(_ document: Document, member: String, reason: String) -> CheckWireError {
        CheckWireError(document: document, member: member.isEmpty ? "(root)" : member, reason: reason)
    }
}

extension JSONMembers where Refusal == CheckWireError {
    /// The members of `value`, or throws that the object at `path` of `document` is not one.
    init(_ value: JSONValue, document: CheckWireError.Document, path: String = "") throws(CheckWireError) {
        try self.init(value, source: document, path: path)
    }

    /// The document, for errors.
    var document: CheckWireError.Document { source }
}
