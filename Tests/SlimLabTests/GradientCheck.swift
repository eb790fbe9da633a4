import XCTest
import SlimKernels
@testable import SlimLab

/// Finite-difference checks of a layer's backward pass.
///
/// The scalar checked is L = Σ forward(x) ⊙ r for a fixed random r, so ∂L/∂output = r and the
/// layer's backward alone is under test. Derivatives are central differences
/// (L(θ + ε) − L(θ − ε)) / 2ε with L summed in Double; for layers that are linear in the
/// perturbed value (Dense, Conv2D) or piecewise linear away from kinks (ReLU, max pooling)
/// they are exact up to fp32 rounding of the outputs.
enum GradientCheck {
    struct Failure: CustomStringConvertible {
        var tensor: String
        var index: Int
        var analytic: Double
        var numeric: Double
        var description: String { "\(tensor)[\(index)]: analytic \(analytic), numeric \(numeric)" }
    }

    static func randomTensor(_ shape: [Int], generator: inout SeededGenerator, avoidingZeroBy gap: Float = 0) -> Tensor<Float> {
        var t = Tensor<Float>.zeros(shape)
        t.withUnsafeMutableBufferPointer { v in
            for i in v.indices {
                var x = generator.uniform(-1, 1)
                if gap > 0 && abs(x) < gap { x = x < 0 ? x - gap : x + gap }
                v[i] = x
            }
        }
        return t
    }

    static func projection<L: Layer>(_ layer: L, input: Tensor<Float>, weights r: Tensor<Float>, pool: ComputePool) -> Double {
        let y = layer.forward(input, pool: pool)
        precondition(y.shape == r.shape)
        var sum: Double = 0
        for i in 0..<y.count { sum += Double(y[flat: i]) * Double(r[flat: i]) }
        return sum
    }

    /// Checks ∂L/∂input and ∂L/∂parameter for every entry (or `maxEntries` of them, spread out).
    static func check<L: Layer>(_ layer: L, input: Tensor<Float>, epsilon: Float = 1e-2,
                                relativeTolerance: Double = 2e-3, absoluteTolerance: Double = 2e-3,
                                maxEntries: Int = 200, seed: UInt64 = 7) -> [Failure] {
        let pool = ComputePool(threads: 1)
        var generator = SeededGenerator(seed: seed)
        var trained = layer
        let output = trained.trainingForward(input, pool: pool)
        let r = randomTensor(output.shape, generator: &generator)
        let inputGradient = trained.backward(r, needsInputGradient: true, pool: pool)!
        var failures: [Failure] = []

        func compare(_ name: String, _ analytic: Tensor<Float>, count: Int, perturbed: (Int, Float) -> Double) {
            let step = max(1, count / maxEntries)
            for i in stride(from: 0, to: count, by: step) {
                let numeric = (perturbed(i, epsilon) - perturbed(i, -epsilon)) / (2 * Double(epsilon))
                let a = Double(analytic[flat: i])
                if abs(a - numeric) > absoluteTolerance + relativeTolerance * max(abs(a), abs(numeric)) {
                    failures.append(Failure(tensor: name, index: i, analytic: a, numeric: numeric))
                }
            }
        }

        compare("input", inputGradient, count: input.count) { i, delta in
            var x = input
            x[flat: i] += delta
            return projection(layer, input: x, weights: r, pool: pool)
        }
        for (p, parameter) in layer.parameters.enumerated() {
            compare(parameter.name, trained.parameters[p].gradient, count: parameter.count) { i, delta in
                var shifted = layer
                shifted.parameters[p].value[flat: i] += delta
                return projection(shifted, input: input, weights: r, pool: pool)
            }
        }
        return failures
    }
}
