import Foundation

/// `comparison.json`: the whole result (docs/compare.md, "comparison.json"). Keys are snake_case; a figure that
/// could not be computed is absent.
public enum ComparisonJSON {
    /// Version of the document's layout; bumped when a key changes meaning or disappears.
    public static let schema = "mmmbench.comparison/1"

    public static func render(_ result: ComparisonReport) -> String {
        let document = Document(
            schema: schema, verdict: result.verdict, exitCode: result.verdict.exitCode,
            baseline: result.baselineLabel, candidate: result.candidateLabel, design: result.design,
            confidence: result.confidence, targets: result.targets, judgements: result.judgements,
            regressions: result.regressions, notes: result.notes, methods: ComparisonMethods.sentence(result),
            rows: result.rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Every value is a string, a number or a struct of them: encoding cannot fail.
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Decodes the rows of a rendered document (what a consumer of comparison.json would do).
    public static func decodeRows(_ text: String) throws -> [ComparisonRow] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(RowsOnly.self, from: Data(text.utf8)).rows
    }

    struct Document: Encodable {
        let schema: String
        let verdict: Verdict
        let exitCode: Int32
        let baseline: String
        let candidate: String
        let design: ComparisonDesign
        let confidence: Double
        let targets: ComparisonTargets
        let judgements: [TargetJudgement]
        let regressions: [String]
        let notes: [String]
        let methods: String
        let rows: [ComparisonRow]
    }

    struct RowsOnly: Decodable {
        let rows: [ComparisonRow]
    }
}

/// The sentence stating the methods and the multiple-comparison correction, shared by every renderer.
public enum ComparisonMethods {
    public static func sentence(_ result: ComparisonReport) -> String {
        let level = Format.percent(result.confidence * 100)
        let durationRows = result.rows.filter { $0.duration != nil }.count
        let successRows = result.rows.filter { $0.success != nil }.count
        let durations = result.design.isPaired
            ? "durations compared job by job: per-job log ratio, Wilcoxon signed-rank test, Hodges-Lehmann estimate "
                + "with its \(level) interval (Walsh averages)"
            : "durations compared as independent samples: Mann-Whitney U test, Hodges-Lehmann shift of log "
                + "durations with Moses' \(level) interval"
        let ratioMethod = result.design.isPaired ? "ratio estimator over the pairs" : "delta method"
        return "p-values are Holm-corrected across the \(durationRows) rows of the duration table and the "
            + "\(successRows) rows of the success table; ~ marks a change that is not significant at "
            + "\(Format.pValue(1 - result.confidence)) after correction. Methods: \(durations); success rates with "
            + "Wilson intervals, their difference with Newcombe's hybrid score interval, Fisher's exact test; cost "
            + "and CPU hours per successful job as a ratio of means (\(ratioMethod)). "
            + "Failed measurements count in success rates only."
    }
}
