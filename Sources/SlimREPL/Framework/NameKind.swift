/// A kind of name the session knows (variants, tensors, lessons, …), used to complete and
/// check arguments that refer to things rather than to numbers or fixed words.
///
/// The names themselves come from providers registered in the `CommandRegistry` by whoever
/// owns them; declare a new kind with `extension NameKind { static let layer = NameKind("layer") }`.
public struct NameKind: Hashable, Sendable, CustomStringConvertible {
    /// The singular noun used in messages ("variant", "tensor").
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// A model variant of the session (`baseline`, `pruned-80`, …).
    public static let variant = NameKind("variant")
    /// The name of a variant about to be made (`as=NAME`): checked to be valid and free, the
    /// one "free name" check (`VariantTable.checkFree`) before any command runs.
    public static let newVariant = NameKind("new variant")
    /// A named tensor of the current model (`fc1.weight`, `fc1.out`).
    public static let tensor = NameKind("tensor")
    /// A lesson in `Lessons/`.
    public static let lesson = NameKind("lesson")
    /// A shipped or generated dataset (`digits`, `spirals`).
    public static let dataset = NameKind("dataset")
    /// A file system path; completed from the directory listing.
    public static let path = NameKind("path")
    /// A command name, as `help` accepts.
    public static let command = NameKind("command")
}
