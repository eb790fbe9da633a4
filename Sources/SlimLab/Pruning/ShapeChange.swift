/// A tensor whose shape changed when structured pruning shrank its layer.
public struct ShapeChange: Sendable, Equatable {
    public var name: String
    public var before: [Int]
    public var after: [Int]
}
