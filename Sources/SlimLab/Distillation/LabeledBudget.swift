import Foundation

/// How many training samples the student gets labels for; the teacher's soft targets cover the
/// whole training part either way (the transfer set).
///
/// Written as a fraction (`labeled=0.05`, `labeled=5%`) or a count (`labeled=60`); `1`,
/// `1.0` and `100%` mean every sample.
public enum LabeledBudget: Sendable, Equatable, CustomStringConvertible {
    case all
    case fraction(Double)
    case count(Int)

    /// Reads `0.05`, `5%`, `60`, `all`; nil for anything else.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "all" { self = .all; return }
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast()), percent.isFinite, percent > 0, percent <= 100 else { return nil }
            self = percent == 100 ? .all : .fraction(percent / 100)
            return
        }
        if let integer = Int(trimmed) {
            guard integer >= 1 else { return nil }
            self = integer == 1 ? .all : .count(integer)
            return
        }
        guard let value = Double(trimmed), value.isFinite, value > 0, value <= 1 else { return nil }
        self = value == 1 ? .all : .fraction(value)
    }

    /// The number of labeled samples out of `total`: at least one, at most `total`.
    public func count(of total: Int) throws(DistillationError) -> Int {
        switch self {
        case .all:
            return total
        case .fraction(let f):
            guard f > 0 && f <= 1 else {
                throw .invalidOption(option: "labeled", value: "\(f)", allowed: "a fraction in (0, 1] or a count of samples")
            }
            return max(1, Int((f * Double(total)).rounded()))
        case .count(let n):
            guard n >= 1 && n <= total else {
                throw .invalidOption(option: "labeled", value: "\(n)",
                                     allowed: "a count from 1 to \(total) (the training samples) or a fraction like 0.05")
            }
            return n
        }
    }

    public var description: String {
        switch self {
        case .all: return "all"
        case .fraction(let f): return "\(f)"
        case .count(let n): return "\(n)"
        }
    }
}
