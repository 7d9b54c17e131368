import BenchJSON
import Foundation
import Hummingbird
import NIOCore

/// Building JSON responses and reading JSON request bodies.
enum JSONResponse {
    /// A response with `body` encoded as JSON (sorted keys, so answers are byte-for-byte reproducible).
    static func make(_ status: HTTPResponse.Status, _ body: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = (try? encoder.encode(body)) ?? Data(#"{"status":"error","error":"response encoding failed"}"#.utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// An error response naming the field at fault.
    static func error(
        _ status: HTTPResponse.Status, _ message: String, field: String? = nil, jobID: String? = nil,
        requestID: JSONValue? = nil
    ) -> Response {
        make(status, ErrorBody(error: message, field: field, jobID: jobID, requestID: requestID))
    }

    /// Why a body could not be read as JSON, as the response to send.
    struct BodyProblem: Error {
        var response: Response
    }

    /// Reads the body (at most `limit` bytes) and parses it as JSON with BenchJSON's strict RFC 8259 reader. An
    /// empty body reads as `{}` when `emptyIsObject` (the test endpoints accept no body at all).
    static func readBody(
        _ request: Request, limit: Int, emptyIsObject: Bool = false
    ) async throws(BodyProblem) -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw BodyProblem(response: Self.error(.contentTooLarge, "body larger than \(limit) bytes"))
        } catch {
            throw BodyProblem(response: Self.error(.badRequest, "body could not be read: \(error)"))
        }
        if buffer.readableBytes == 0 && emptyIsObject { return .object([:]) }
        let parsed = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONReadError) -> JSONValue in try JSONReader.value(from: bytes) }
        }
        guard case .success(let value) = parsed else {
            throw BodyProblem(response: self.error(.badRequest, "body is not valid JSON"))
        }
        return value
    }

    /// Reads the body as `readBody` does with an empty body as `{}`, and refuses anything but a JSON object: the
    /// test endpoints' bodies.
    static func readObjectBody(_ request: Request, limit: Int) async throws(BodyProblem) -> [String: JSONValue] {
        let json = try await readBody(request, limit: limit, emptyIsObject: true)
        guard case .object(let body) = json else {
            throw BodyProblem(response: error(.badRequest, "body must be a JSON object, not \(json.typeName)"))
        }
        return body
    }
}
