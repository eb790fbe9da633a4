import Foundation
import SlimKernels
import SlimLab

/// One condition of an exercise, on what the learner's commands left behind — never on how a
/// command was spelled, so any command that does the job counts.
///
/// The `check:` line of a lesson file, one of:
/// - `variant COND…` — one of the learner's own models (not the lesson's) meets every
///   condition: `from=NAME` (made from NAME), `sparsity=X±T` (weights exactly zero),
///   `sparsity.LAYER=X±T`, `units.LAYER=N` (a layer's outputs), `bits=N` (quantized to N bits),
///   `origin~WORD` (how it was made, as `model list` says, contains WORD), `accuracy=A..B`
///   (test accuracy as a fraction), `trained`.
/// - `number X±T` — the learner's last `answer VALUE` is a number within T of X.
/// - `choice WORD|WORD…` — the learner's last `answer VALUE` is one of the words.
/// - `used WORDS…` — the learner ran a command line starting with these words.
public enum ExerciseCheck: Sendable, Equatable {
    case variant([VariantCondition])
    case number(Double, tolerance: Double)
    case choice([String])
    case used([String])

    /// One condition on a variant.
    public enum VariantCondition: Sendable, Equatable {
        case from(String)
        case sparsity(layer: String?, Double, tolerance: Double)
        case units(layer: String, Int)
        case bits(Int)
        case origin(String)
        case accuracy(ClosedRange<Double>)
        case trained
    }

    /// Whether the check needs a typed `answer VALUE`.
    public var wantsTypedAnswer: Bool {
        switch self {
        case .number, .choice: true
        case .variant, .used: false
        }
    }

    init(parsing text: String) throws(ExerciseCheckError) {
        let words = text.split(separator: " ").map(String.init)
        guard let kind = words.first else { throw ExerciseCheckError("an empty check") }
        let rest = Array(words.dropFirst())
        switch kind {
        case "variant":
            guard !rest.isEmpty else { throw ExerciseCheckError("'variant' needs conditions, e.g. 'variant from=baseline sparsity=0.8±0.01'") }
            self = .variant(try rest.map(Self.condition))
        case "number":
            let (value, tolerance) = try Self.valueAndTolerance(rest.joined(), what: "number")
            self = .number(value, tolerance: tolerance)
        case "choice":
            let choices = rest.joined(separator: " ").split(separator: "|").map { LessonText.trim($0).lowercased() }
            guard !choices.isEmpty, !choices.contains("") else { throw ExerciseCheckError("'choice' needs words separated by '|'") }
            self = .choice(choices)
        case "used":
            guard !rest.isEmpty else { throw ExerciseCheckError("'used' needs the command words, e.g. 'used show'") }
            self = .used(rest)
        default:
            throw ExerciseCheckError("unknown check '\(kind)'; the checks are variant, number, choice, used")
        }
    }

    private static func condition(_ word: String) throws(ExerciseCheckError) -> VariantCondition {
        if word == "trained" { return .trained }
        if word.hasPrefix("origin~") {
            let text = String(word.dropFirst("origin~".count))
            guard !text.isEmpty else { throw ExerciseCheckError("'origin~' needs a word") }
            return .origin(text)
        }
        guard let equals = word.firstIndex(of: "=") else {
            throw ExerciseCheckError("unknown condition '\(word)'; the conditions are from=, sparsity=, sparsity.LAYER=, units.LAYER=, bits=, origin~, accuracy=, trained")
        }
        let key = String(word[..<equals]), value = String(word[word.index(after: equals)...])
        switch key {
        case "from":
            return .from(value)
        case "bits":
            guard let bits = Int(value), (1...32).contains(bits) else { throw ExerciseCheckError("bits= needs a whole number from 1 to 32") }
            return .bits(bits)
        case "accuracy":
            let ends = value.components(separatedBy: "..")
            guard ends.count == 2, let low = Double(ends[0]), let high = Double(ends[1]), low <= high else {
                throw ExerciseCheckError("accuracy= needs a range of fractions, e.g. accuracy=0.9..1")
            }
            return .accuracy(low...high)
        default:
            if key == "sparsity" || key.hasPrefix("sparsity.") {
                let (target, tolerance) = try valueAndTolerance(value, what: "sparsity")
                return .sparsity(layer: key == "sparsity" ? nil : String(key.dropFirst("sparsity.".count)), target, tolerance: tolerance)
            }
            if key.hasPrefix("units."), let units = Int(value) {
                return .units(layer: String(key.dropFirst("units.".count)), units)
            }
            throw ExerciseCheckError("unknown condition '\(word)'; the conditions are from=, sparsity=, sparsity.LAYER=, units.LAYER=, bits=, origin~, accuracy=, trained")
        }
    }

    /// `0.8±0.01` (or `0.8+-0.01`; no tolerance means exactly).
    private static func valueAndTolerance(_ text: String, what: String) throws(ExerciseCheckError) -> (Double, Double) {
        let parts = text.replacingOccurrences(of: "+-", with: "±").split(separator: "±", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let value = Double(parts[0]),
              let tolerance = parts.count == 2 ? Double(parts[1]) : 0, tolerance >= 0 else {
            throw ExerciseCheckError("\(what) needs a value and a tolerance, e.g. 0.8±0.01")
        }
        return (value, tolerance)
    }
}

/// A `check:` line that cannot be read.
public struct ExerciseCheckError: Error, CustomStringConvertible, Equatable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// What an exercise's checks look at: the learner's own models, the commands they ran and
/// the values they typed since the exercise began.
struct ExerciseEvidence {
    var learnerVariants: [Variant]
    var test: Dataset?
    var pool: ComputePool
    var commands: [String]
    var answers: [String]
}

extension ExerciseCheck {
    /// Nil when the check holds, else what is missing, in a few words.
    func failure(in evidence: ExerciseEvidence) -> String? {
        switch self {
        case let .variant(conditions):
            let newestFirst = evidence.learnerVariants.reversed()
            var nearest: String?
            for variant in newestFirst {
                guard let miss = conditions.lazy.compactMap({ $0.failure(variant, evidence) }).first else { return nil }
                if nearest == nil { nearest = "\(variant.name): \(miss)" }
            }
            return nearest ?? "you have made no model of your own yet"
        case let .number(value, tolerance):
            guard let typed = evidence.answers.last else { return "type your number with `answer VALUE`" }
            guard let number = Double(typed.replacingOccurrences(of: ",", with: "")) else { return "'\(typed)' is not a number" }
            return abs(number - value) <= tolerance + 1e-12 ? nil : "\(typed) is not it"
        case let .choice(choices):
            guard let typed = evidence.answers.last else { return "type your answer with `answer WORD`" }
            return choices.contains(typed.lowercased()) ? nil : "'\(typed)' is not it"
        case let .used(words):
            let wanted = words.joined(separator: " ")
            let used = evidence.commands.contains { line in
                let spoken = line.split(separator: " ").map(String.init)
                return spoken.count >= words.count && Array(spoken.prefix(words.count)) == words
            }
            return used ? nil : "run `\(wanted) …`"
        }
    }
}

extension ExerciseCheck.VariantCondition {
    /// Nil when `variant` meets the condition, else how it falls short.
    func failure(_ variant: Variant, _ evidence: ExerciseEvidence) -> String? {
        switch self {
        case let .from(source):
            return variant.parent == source ? nil : "made from \(variant.parent ?? "nothing"), not \(source)"
        case let .sparsity(layer, target, tolerance):
            let summary = variant.model.summary
            let sparsity: Double
            if let layer {
                guard let row = summary.rows.first(where: { $0.layer == layer }) else { return "has no layer \(layer)" }
                sparsity = row.sparsity
            } else {
                sparsity = summary.sparsity
            }
            let label = layer.map { "\($0) " } ?? ""
            return abs(sparsity - target) <= tolerance ? nil
                : "\(label)sparsity \(NumberFormatting.percent(sparsity)), not \(NumberFormatting.percent(target))"
        case let .units(layer, units):
            let summary = variant.model.summary
            guard let row = summary.rows.first(where: { $0.layer == layer }) else { return "has no layer \(layer)" }
            let have = row.outputShape.first ?? 0
            return have == units ? nil : "\(layer) has \(have) outputs, not \(units)"
        case let .bits(bits):
            return variant.origin.contains("int\(bits) ") || variant.origin.contains("int\(bits),")
                || variant.origin.hasSuffix("int\(bits)") ? nil : "not quantized to \(bits) bits (\(variant.origin))"
        case let .origin(word):
            return variant.origin.lowercased().contains(word.lowercased()) ? nil : "not \(word) (\(variant.origin))"
        case let .accuracy(range):
            guard let test = evidence.test else { return "no data to measure accuracy on" }
            guard let accuracy = try? variant.model.accuracy(on: test, pool: evidence.pool) else {
                return "its accuracy cannot be measured on this data"
            }
            return range.contains(accuracy) ? nil
                : "test accuracy \(NumberFormatting.percent(accuracy)), not \(NumberFormatting.percent(range.lowerBound))–\(NumberFormatting.percent(range.upperBound))"
        case .trained:
            return variant.isTrained ? nil : "not trained"
        }
    }
}
