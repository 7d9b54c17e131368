import BenchJSON

/// JSON bodies the trainer sends. Keys are snake_case as the seed's Python clients expect.

/// `200` answer of `POST /train`.
struct TrainResponse: Encodable, Sendable {
    var jobID: String?
    var country: String
    var status = "success"
    var iterations: Int
    var trials: Int
    var bestModel: BestModelBody?
    var candidatesEvaluated: Int
    var ridgeFits: Int
    var solverSweeps: Int
    var weeks: Int
    var elapsedSeconds: Double
    var fitSeconds: Double
    var queueSeconds: Double
    var cpuSeconds: Double
    var peakRSSMB: Double
    var instant: Bool

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case country, status, iterations, trials, weeks, instant
        case bestModel = "best_model"
        case candidatesEvaluated = "candidates_evaluated"
        case ridgeFits = "ridge_fits"
        case solverSweeps = "solver_sweeps"
        case elapsedSeconds = "elapsed_seconds"
        case fitSeconds = "fit_seconds"
        case queueSeconds = "queue_seconds"
        case cpuSeconds = "cpu_seconds"
        case peakRSSMB = "peak_rss_mb"
    }
}

/// The best model of a search.
struct BestModelBody: Encodable, Sendable {
    var trial: Int
    var candidate: Int
    var nrmse: Double
    var decompRSSD: Double
    var rSquared: Double
    var lambda: Double
    var lambdaHyperparameter: Double
    /// Per paid media variable: hyperparameters, coefficient and shares.
    var channels: [String: ChannelBody]
    /// Every coefficient in data units: intercept, trend, seasonality, context, organic and media variables.
    var coefficients: [String: Double]

    enum CodingKeys: String, CodingKey {
        case trial, candidate, nrmse, lambda, channels, coefficients
        case decompRSSD = "decomp_rssd"
        case rSquared = "r_squared"
        case lambdaHyperparameter = "lambda_hp"
    }

    init(_ model: EvaluatedModel, mediaNames: [String]) {
        self.trial = model.trial
        self.candidate = model.candidateIndex
        self.nrmse = model.nrmse
        self.decompRSSD = model.decompRSSD
        self.rSquared = model.rSquared
        self.lambda = model.lambda
        self.lambdaHyperparameter = model.candidate.lambdaHyperparameter
        var channels: [String: ChannelBody] = [:]
        for (index, name) in mediaNames.enumerated() where index < model.candidate.channels.count {
            let hyper = model.candidate.channels[index]
            channels[name] = ChannelBody(
                theta: hyper.theta, alpha: hyper.alpha, gamma: hyper.gamma,
                coefficient: model.mediaCoefficients[index],
                coefficientStdError: model.mediaStandardErrors?[index],
                effectShare: model.effectShares[index],
                spendShare: model.spendShares[index])
        }
        self.channels = channels
        self.coefficients = Dictionary(model.coefficients.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}

/// One paid media channel of the best model.
struct ChannelBody: Encodable, Sendable {
    var theta: Double
    var alpha: Double
    var gamma: Double
    var coefficient: Double
    var coefficientStdError: Double?
    var effectShare: Double
    var spendShare: Double

    enum CodingKeys: String, CodingKey {
        case theta, alpha, gamma, coefficient
        case coefficientStdError = "coefficient_std_error"
        case effectShare = "effect_share"
        case spendShare = "spend_share"
    }
}

/// A refused or failed request.
struct ErrorBody: Encodable, Sendable {
    var status = "error"
    var error: String
    /// The request field at fault, when there is one.
    var field: String?
    var jobID: String?
    var requestID: JSONValue?

    enum CodingKeys: String, CodingKey {
        case status, error, field
        case jobID = "job_id"
        case requestID = "request_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(error, forKey: .error)
        try container.encode(field, forKey: .field)
        try container.encodeIfPresent(jobID, forKey: .jobID)
        try container.encodeIfPresent(requestID, forKey: .requestID)
    }
}

/// `GET /health`.
struct HealthBody: Encodable, Sendable {
    var status: String
    var warmStatus: [String: Bool]
    var checks: HealthChecks

    enum CodingKeys: String, CodingKey {
        case status, checks
        case warmStatus = "warm_status"
    }
}

/// The `checks` object of `/health`: real figures of this process.
struct HealthChecks: Encodable, Sendable {
    /// Process CPU over the recent window, percent of all cores.
    var cpuUsage: Double
    /// Resident memory, percent of physical memory.
    var memoryUsage: Double
    var rssMB: Double
    var cpuCores: Int
    var fitThreads: Int
    var activeFits: Int
    var uptimeSeconds: Double

    enum CodingKeys: String, CodingKey {
        case cpuUsage = "cpu_usage"
        case memoryUsage = "memory_usage"
        case rssMB = "rss_mb"
        case cpuCores = "cpu_cores"
        case fitThreads = "fit_threads"
        case activeFits = "active_fits"
        case uptimeSeconds = "uptime_seconds"
    }
}

/// `POST /api/test-data-processing`.
struct DataProcessingBody: Encodable, Sendable {
    var status = "success"
    var format: String
    var rows: Int
    var columns: Int
    var rawBytes: Int
    var compressedBytes: Int
    var compressionRatio: Double
    var processingSeconds: Double
    var verified: Bool

    enum CodingKeys: String, CodingKey {
        case status, format, rows, columns, verified
        case rawBytes = "raw_bytes"
        case compressedBytes = "compressed_bytes"
        case compressionRatio = "compression_ratio"
        case processingSeconds = "processing_seconds"
    }
}

/// `POST /api/test-parallel` and `POST /api/load-test`.
struct SmallFitBody: Encodable, Sendable {
    var status = "success"
    var requestID: JSONValue
    var country: String
    var candidatesEvaluated: Int
    var nrmse: Double
    var decompRSSD: Double
    var elapsedSeconds: Double
    var cpuSeconds: Double

    enum CodingKeys: String, CodingKey {
        case status, country, nrmse
        case requestID = "request_id"
        case candidatesEvaluated = "candidates_evaluated"
        case decompRSSD = "decomp_rssd"
        case elapsedSeconds = "elapsed_seconds"
        case cpuSeconds = "cpu_seconds"
    }
}
