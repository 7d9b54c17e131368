import BenchJSON
extension WireMessage: Codable {
    private enum TypeKey: String, CodingKey {
        case type
    }

    /// Decodes a message from a JSON object with a `"type"` member.
    ///
    /// Throws ``WireError`` for every failure: not an object, no or unknown type, a missing or invalid field (the
    /// field path is named), an unsupported protocol version.
    public init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<TypeKey>
        do {
            container = try decoder.container(keyedBy: TypeKey.self)
        } catch {
            throw WireError.invalidJSON(reason: "the frame holds JSON that is not an object")
        }
        guard let typeName = try? container.decode(String.self, forKey: .type) else {
            throw WireError.missingType
        }
        guard let type = WireMessageType(rawValue: typeName) else {
            throw WireError.unknownType(typeName)
        }
        do {
            self = try Self.decodeBody(of: type, from: decoder)
        } catch let error as DecodingError {
            throw WireError(error, messageType: typeName)
        }
    }

    private static func decodeBody(of type: WireMessageType, from decoder: any Decoder) throws -> WireMessage {
        switch type {
        case .hello: return .hello(try Hello(from: decoder))
        case .welcome: return .welcome(try Welcome(from: decoder))
        case .reject: return .reject(try Reject(from: decoder))
        case .assign: return .assign(try Assign(from: decoder))
        case .started: return .started(try Started(from: decoder))
        case .progress: return .progress(try Progress(from: decoder))
        case .result: return .result(try TaskResult(from: decoder))
        case .ack: return .ack(try Ack(from: decoder))
        case .heartbeat: return .heartbeat(try Heartbeat(from: decoder))
        case .cancel: return .cancel(try Cancel(from: decoder))
        case .drain: return .drain(try Drain(from: decoder))
        case .bye: return .bye(try Bye(from: decoder))
        }
    }

    /// Encodes the message as one flat JSON object: `"type"` plus the fields of the associated struct.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type.rawValue, forKey: .type)
        switch self {
        case .hello(let body): try body.encode(to: encoder)
        case .welcome(let body): try body.encode(to: encoder)
        case .reject(let body): try body.encode(to: encoder)
        case .assign(let body): try body.encode(to: encoder)
        case .started(let body): try body.encode(to: encoder)
        case .progress(let body): try body.encode(to: encoder)
        case .result(let body): try body.encode(to: encoder)
        case .ack(let body): try body.encode(to: encoder)
        case .heartbeat(let body): try body.encode(to: encoder)
        case .cancel(let body): try body.encode(to: encoder)
        case .drain(let body): try body.encode(to: encoder)
        case .bye(let body): try body.encode(to: encoder)
        }
    }
}

extension WireError {
    /// Maps a `DecodingError` raised while decoding the fields of a `messageType` message to the field it names.
    init(_ error: DecodingError, messageType: String) {
        switch error {
        case .keyNotFound(let key, let context):
            self = .missingField(type: messageType, field: Self.fieldPath(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            self = .invalidField(
                type: messageType,
                field: Self.fieldPath(context.codingPath),
                reason: "must not be null"
            )
        case .typeMismatch(let expected, let context):
            self = .invalidField(
                type: messageType,
                field: Self.fieldPath(context.codingPath),
                reason: "expected \(Self.jsonTypeName(expected))"
            )
        case .dataCorrupted(let context):
            self = .invalidField(
                type: messageType,
                field: Self.fieldPath(context.codingPath),
                reason: context.debugDescription
            )
        @unknown default:
            self = .invalidJSON(reason: "undecodable '\(messageType)' message")
        }
    }

    /// `running[0].task_id` for the path running → 0 → task_id.
    package static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(message)" : text
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is [Any].Type: return "an array"
        case is [String: Any].Type: return "an object"
        default: return "a value of type \(type)"
        }
    }
}
