import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// One realistic message of every type, for round-trip and pipeline tests.
enum SampleMessages {
    static let task = TaskRef(taskID: "baseline-1-2-US", attempt: 2)
    static let started = WireTimestamp(rawValue: "2025-03-01T12:00:00.250Z")!
    static let finished = WireTimestamp(rawValue: "2025-03-01T12:41:07.031+01:00")!

    static let all: [WireMessage] = [
        .hello(.init(
            agentID: "agent-1",
            slots: 2,
            labels: ["region": "eu-west", "host": "bench-07"],
            running: [task],
            queuedResults: [TaskRef(taskID: "baseline-1-1-US", attempt: 1)],
            software: "mmmbench 0.1.0"
        )),
        .welcome(.init(
            agentID: "agent-1",
            collectionID: "c-2025-03-01",
            heartbeatIntervalMS: 5_000,
            heartbeatTimeoutMS: 20_000,
            reattached: [task],
            cancelled: [TaskRef(taskID: "baseline-2-1-UK", attempt: 1)]
        )),
        .reject(.init(code: .notAllowed, reason: "agent-9 is not on the allow-list")),
        .assign(.init(
            task: task,
            kind: .train,
            leaseMS: 30_000,
            timeoutMS: 7_200_000,
            payload: [
                "country": "US", "iterations": 2000, "trials": 5, "use_gpu": false, "weights": [0.25, 0.75],
                "note": nil,
            ],
            trainerPath: "/train"
        )),
        .assign(.init(task: TaskRef(taskID: "check-3", attempt: 1), kind: .check, leaseMS: 1, timeoutMS: 1, payload: [:])),
        .started(.init(task: task, startedAt: started)),
        .progress(.init(task: task, message: "fitting trial 3 of 5", fraction: 0.6)),
        .progress(.init(task: task, message: "waiting for trainer")),
        .result(.init(
            task: task,
            outcome: ["success": true, "duration_ms": 2_467_031, "http_status": 200, "error": nil],
            finishedAt: finished
        )),
        .ack(.init(task: task, status: .committed)),
        .ack(.init(task: task, status: .duplicate)),
        .ack(.init(task: task, status: .stale)),
        .ack(.init(task: task, status: .refused, reason: "attempt 1 of job j was not assigned to agent a")),
        .heartbeat(.init(sentAtMS: 9_007_199_254_740_991, running: [task])),
        .heartbeat(.init(sentAtMS: -1)),
        .cancel(.init(task: task, reason: "lease expired")),
        .drain(.init(reason: "collection complete")),
        .bye(.init(reason: "agent shutting down")),
    ]

    /// Every message type appears in ``all``; the last message is a `bye`.
    static var coveredTypes: Set<WireMessageType> { Set(all.map(\.type)) }
}
