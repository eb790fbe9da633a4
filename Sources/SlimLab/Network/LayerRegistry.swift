import SlimKernels

/// The layer types a model can be built from by kind name, for `ModelArchitecture.makeModel`
/// and for reading model files. A new layer type joins by being listed in `standard`.
public struct LayerRegistry: Sendable {
    /// The types, in the order their kinds are listed in messages.
    public let types: [any Layer.Type]

    public init(_ types: [any Layer.Type]) {
        self.types = types
    }

    /// Every layer type SlimLab ships.
    public static let standard = LayerRegistry([
        Dense.self, ReLU.self, Conv2D.self, MaxPool2D.self, Flatten.self,
    ])

    /// The kind names, for messages and completion.
    public var kinds: [String] { types.map { $0.kind } }

    /// A fresh layer for `description`, or an error naming the unknown kind.
    public func makeLayer(_ description: LayerDescription, inputShape: [Int],
                          generator: inout SeededGenerator) throws -> any Layer {
        guard let type = types.first(where: { $0.kind == description.kind }) else {
            throw ModelError.unknownLayerKind(description.kind, known: kinds)
        }
        return try type.init(description: description, inputShape: inputShape, generator: &generator)
    }
}
