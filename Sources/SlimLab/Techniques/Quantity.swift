/// A number in a technique's output, kept as a value with the way it reads, so the REPL
/// formats it (at the session's precision where `digits` is nil) and SlimLab never makes text
/// of a computed number.
public enum Quantity: Sendable, Equatable {
    /// A count with thousands separators: `1,347`.
    case count(Int)
    /// A fraction as a percentage with `digits` decimals: `0.9733` → `97.33%`.
    case percent(Double, digits: Int = 2)
    /// `digits` decimals (`0.1235`); nil: the session's precision.
    case fixed(Double, digits: Int? = nil)
    /// `digits` significant digits in the shorter of fixed and scientific notation
    /// (`0.001813`, `3.85e-07`); nil: the session's precision.
    case significant(Double, digits: Int? = nil)
    /// A setting as it was typed, its shortest decimal: `0.7`, `4`.
    case setting(Double)
    /// Bytes in binary units: `18.8 KiB`.
    case bytes(Int)
    /// A difference in percentage points with its sign, 2 decimals: `+13.56`, `-0.22`, `0.00`.
    case points(Double)
}
