import Foundation

/// Robyn's media transformations: geometric adstock, then Hill saturation.
enum MediaTransform {
    /// Geometric adstock: `out[t] = x[t] + theta * out[t-1]`, the carry-over of past exposure.
    static func adstock(_ input: [Double], theta: Double, into output: inout [Double]) {
        var carry = 0.0
        for index in input.indices {
            carry = input[index] + theta * carry
            output[index] = carry
        }
    }

    /// Hill saturation in place: `x^alpha / (x^alpha + inflexion^alpha)` with the inflexion point at the `gamma`
    /// quantile of the column's range, as Robyn computes `gammaTrans`.
    static func saturate(_ values: inout [Double], alpha: Double, gamma: Double) {
        guard let low = values.min(), let high = values.max() else { return }
        let inflexion = low + gamma * (high - low)
        guard inflexion > 0 else {
            for index in values.indices { values[index] = values[index] > 0 ? 1 : 0 }
            return
        }
        let inflexionPower = pow(inflexion, alpha)
        for index in values.indices {
            let power = pow(max(values[index], 0), alpha)
            values[index] = power / (power + inflexionPower)
        }
    }
}
