/// The display settings of a session that `set` changes (the seed and the thread count
/// live in the `Workspace`, since computations use them).
public struct SessionSettings: Equatable, Sendable {
    /// When to use colors.
    public enum ColorMode: String, CaseIterable, ArgumentValue, Sendable {
        /// On a terminal, unless `NO_COLOR` is set.
        case auto
        /// Always, even into a pipe.
        case on
        /// Never.
        case off
    }

    /// When to use colors (`--no-color` starts with `.off`).
    public var color: ColorMode = .auto
    /// Digits printed after the decimal point for tensors and measurements.
    public var precision: Int = 4
    /// Whether stepped techniques wait for Enter between steps on a terminal.
    public var pause: Bool = false
    /// Whether output taller than the terminal waits for Enter after each screenful (also on
    /// whenever `pause` is).
    public var pager: Bool = false

    /// The allowed precisions.
    public static let precisionRange = 0...12

    public init(color: ColorMode = .auto, precision: Int = 4, pause: Bool = false, pager: Bool = false) {
        self.pager = pager
        self.color = color
        self.precision = precision
        self.pause = pause
    }
}
