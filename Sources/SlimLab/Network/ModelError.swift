/// What can go wrong building, reading or running a model, with messages for people that name
/// the bad value and what is allowed.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// An architecture string such as `mlp 64-x-10` that cannot be read.
    case invalidSpecification(String, reason: String)
    /// A layer description lacks an attribute its kind needs.
    case missingAttribute(layer: String, kind: String, attribute: String)
    /// A layer attribute has a value outside what the layer accepts.
    case invalidAttribute(layer: String, attribute: String, value: String, allowed: String)
    /// A layer receives an input of a shape it cannot take.
    case shapeMismatch(layer: String, expected: String, got: [Int])
    /// A layer kind no registered layer type implements.
    case unknownLayerKind(String, known: [String])
    /// Two layers of one model share a name.
    case duplicateLayerName(String)
    /// A tensor name that is neither a parameter nor an activation of the model.
    case unknownTensor(String, known: [String])
    /// A model does not fit the data it is asked to run on.
    case dataMismatch(model: String, data: String)
    /// A model whose last layer does not produce one row of class scores per sample.
    case notAClassifier(outputShape: [Int])

    public var description: String {
        switch self {
        case let .invalidSpecification(spec, reason):
            return "cannot read architecture '\(spec)': \(reason)"
        case let .missingAttribute(layer, kind, attribute):
            return "layer \(layer) (\(kind)) needs the attribute '\(attribute)'"
        case let .invalidAttribute(layer, attribute, value, allowed):
            return "layer \(layer): \(attribute)=\(value) is not allowed; expected \(allowed)"
        case let .shapeMismatch(layer, expected, got):
            return "layer \(layer) expects \(expected) per sample, got \(Self.shapeText(got))"
        case let .unknownLayerKind(kind, known):
            return "unknown layer kind '\(kind)'; known kinds: \(known.joined(separator: ", "))"
        case let .duplicateLayerName(name):
            return "two layers are named '\(name)'; layer names must be unique in a model"
        case let .unknownTensor(name, known):
            let list = known.count > 12 ? known.prefix(12).joined(separator: ", ") + ", …" : known.joined(separator: ", ")
            return "no tensor named '\(name)'; this model has: \(list)"
        case let .dataMismatch(model, data):
            return "the model \(model), but the data \(data)"
        case let .notAClassifier(outputShape):
            return "the model's output per sample is \(Self.shapeText(outputShape)); a classifier needs one score per class, [classes]"
        }
    }

    static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
