/// The variable lists of a training request, named as Robyn names them.
///
/// The reference trainer synthesises one column per name, so the lists decide the shape of the dataset and of
/// the model. `paidMediaSpends[i]` is the spend column of the exposure `paidMediaVars[i]`.
struct ModelVariables: Hashable, Sendable {
    var paidMediaSpends: [String]
    var paidMediaVars: [String]
    var contextVars: [String]
    var factorVars: [String]
    var organicVars: [String]

    /// The lists of the seed's `run_single_baseline_job` payload.
    static let seedDefault = ModelVariables(
        paidMediaSpends: ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"],
        paidMediaVars: ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"],
        contextVars: ["IS_WEEKEND"],
        factorVars: ["IS_WEEKEND"],
        organicVars: ["ORGANIC_TRAFFIC"]
    )
}
