/// What makes a `POST /train` answer a successful measurement (the plan's `success_rule`, docs/plan.md).
///
/// The seed counts an HTTP 200 as a success and never reads the body (`if response.status_code == 200`); that is
/// the default. The stricter rule also requires a JSON object body whose `status` is `"success"`, the reference
/// trainer's answer. Under either rule the trainer's figures (`elapsed_seconds`, ...) are read from a JSON body when
/// there is one; any other status, a timeout or a connection failure is a failed measurement.
public enum SuccessRule: String, Codable, Sendable, CaseIterable {
    /// HTTP 200, whatever the body says (the seed's rule).
    case http200 = "http_200"
    /// HTTP 200 and a JSON object body with `"status": "success"`.
    case statusSuccess = "status_success"

    /// The rule when the plan names none.
    public static let `default` = SuccessRule.http200
}

extension Plan {
    /// The plan's success rule, ``SuccessRule/default`` when it names none.
    public var effectiveSuccessRule: SuccessRule { successRule ?? .default }
}
