/// The session's variants in the order they were made, with the current one (what commands
/// act on by default) and the baseline (what `compare` measures against).
///
/// The baseline is the variant set by `model baseline N`, or else the first variant that was
/// trained — so that `model new …; train` needs no extra step, and later variants derived from
/// it are compared against it.
public struct VariantTable: Sendable {
    public private(set) var variants: [Variant] = []
    /// The variant commands use when none is named.
    public private(set) var currentName: String?
    /// The baseline chosen with `model baseline`, if any.
    public private(set) var explicitBaselineName: String?

    public init() {}

    /// Names in creation order.
    public var names: [String] { variants.map(\.name) }
    public var isEmpty: Bool { variants.isEmpty }

    /// The current variant, if any.
    public var current: Variant? { currentName.flatMap { name in variants.first { $0.name == name } } }

    /// The baseline: the explicit one, else the first trained variant.
    public var baseline: Variant? {
        if let explicitBaselineName { return variants.first { $0.name == explicitBaselineName } }
        return variants.first { $0.isTrained }
    }

    /// The variant called `name`, or the current one when `name` is nil.
    public func variant(named name: String? = nil) throws -> Variant {
        guard let name = name ?? currentName else { throw VariantError.noVariants }
        guard let variant = variants.first(where: { $0.name == name }) else {
            throw VariantError.unknownVariant(name, known: names)
        }
        return variant
    }

    /// Whether `name` can name a variant: letters, digits, `-`, `_`, `.`, starting with a
    /// letter or digit, at most 40 characters.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 40,
              first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
    }

    /// `base` if free, else `base-2`, `base-3`, … (for `model new` without `name=`).
    public func uniqueName(_ base: String) -> String {
        if !names.contains(base) { return base }
        var n = 2
        while names.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    /// Checks that `name` can name a new variant: valid (`isValidName`) and not taken. The one
    /// check every command that makes a variant runs.
    public func checkFree(_ name: String) throws(VariantError) {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        guard !names.contains(name) else { throw .nameTaken(name) }
    }

    /// The name for a new variant: `requested` when free (else the error saying why not), or
    /// `base` made unique (`uniqueName`).
    public func newName(_ requested: String?, default base: String) throws(VariantError) -> String {
        guard let requested else { return uniqueName(base) }
        try checkFree(requested)
        return requested
    }

    /// Adds a variant and makes it current (unless `makeCurrent` is false: techniques add their
    /// result beside the current model, which stays current).
    public mutating func add(_ variant: Variant, makeCurrent: Bool = true) throws {
        try checkFree(variant.name)
        variants.append(variant)
        if makeCurrent || currentName == nil { currentName = variant.name }
    }

    /// Copies `source` (the current variant when nil) to a new variant `name` and makes the copy
    /// current. The copy has the same weights, masks and history; the two change independently.
    @discardableResult
    public mutating func copy(_ source: String?, to name: String, makeCurrent: Bool = true) throws -> Variant {
        var copy = try variant(named: source)
        let sourceName = copy.name
        copy.name = name
        copy.origin = "copy of \(sourceName)"
        copy.parent = sourceName
        copy.madeBy = nil
        try add(copy, makeCurrent: makeCurrent)
        return copy
    }

    /// Adds what a technique made from `source`: a variant `name` holding `model`, with the
    /// source's history, `origin` and the source as its parent, beside the current model (which
    /// stays current). The one way every technique adds its result.
    @discardableResult
    public mutating func addDerived(from source: Variant, name: String, model: Model, origin: String) throws -> Variant {
        var variant = source
        variant.name = name
        variant.model = model
        variant.origin = origin
        variant.parent = source.name
        variant.madeBy = nil
        try add(variant, makeCurrent: false)
        return variant
    }

    /// Makes `name` the current variant.
    public mutating func use(_ name: String) throws {
        currentName = try variant(named: name).name
    }

    /// Makes `name` the baseline of comparisons.
    public mutating func setBaseline(_ name: String) throws {
        explicitBaselineName = try variant(named: name).name
    }

    /// Removes `name`. If it was current, the most recently made remaining variant becomes
    /// current; if it was the explicit baseline, the baseline falls back to the first trained.
    @discardableResult
    public mutating func drop(_ name: String) throws -> Variant {
        let dropped = try variant(named: name)
        variants.removeAll { $0.name == name }
        if currentName == name { currentName = variants.last?.name }
        if explicitBaselineName == name { explicitBaselineName = nil }
        return dropped
    }

    /// Changes variant `name` (the current one when nil) in place; on error nothing changes.
    public mutating func update<R>(_ name: String? = nil, _ body: (inout Variant) throws -> R) throws -> R {
        let target = try variant(named: name).name
        let index = variants.firstIndex { $0.name == target }!
        var changed = variants[index]
        let result = try body(&changed)
        precondition(changed.name == target, "VariantTable.update: rename with copy and drop, not in place")
        variants[index] = changed
        return result
    }
}
