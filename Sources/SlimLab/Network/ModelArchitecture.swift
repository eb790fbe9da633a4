import Foundation
import SlimKernels

/// The structure of a model without its numbers: the input shape and the layer descriptions.
/// It is what `model new` builds from, what a model file stores (as JSON in `__metadata__`),
/// and what re-creates a model before its tensors are loaded.
///
/// ```swift
/// try ModelArchitecture.parse("mlp 64-32-10").specification   // "mlp 64-32-10"
/// ModelArchitecture.cnn(inputShape: [1, 8, 8], classes: 10).layers.map(\.name)
/// // ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1"]
/// ```
public struct ModelArchitecture: Sendable, Equatable, Codable, CustomStringConvertible {
    public var inputShape: [Int]
    public var layers: [LayerDescription]

    public init(inputShape: [Int], layers: [LayerDescription]) {
        self.inputShape = inputShape
        self.layers = layers
    }

    // MARK: Presets

    /// The kinds of network `parse` understands.
    public enum Family: String, Sendable, CaseIterable {
        case mlp, cnn, lenet300, lenet5
    }

    /// Reads `mlp 64-32-10` (layer sizes from input to classes) or `cnn` (the preset for 1×8×8
    /// digits; `cnn` with `inputShape`/`classes` adapts it to other images).
    public static func parse(_ text: String, inputShape: [Int]? = nil, classes: Int? = nil) throws -> ModelArchitecture {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, let family = Family(rawValue: first.lowercased()) else {
            throw ModelError.invalidSpecification(
                text, reason: "start with one of \(Family.allCases.map(\.rawValue).joined(separator: ", ")), e.g. 'mlp 64-32-10' or 'cnn'")
        }
        switch family {
        case .mlp:
            guard words.count == 2 else {
                throw ModelError.invalidSpecification(text, reason: "write the layer sizes after 'mlp', e.g. 'mlp 64-32-10'")
            }
            return try mlp(words[1])
        case .cnn:
            guard words.count == 1 else {
                throw ModelError.invalidSpecification(text, reason: "'cnn' is a preset and takes no sizes")
            }
            return cnn(inputShape: inputShape ?? [1, 8, 8], classes: classes ?? 10)
        case .lenet300, .lenet5:
            guard words.count == 1 else {
                throw ModelError.invalidSpecification(text, reason: "'\(first)' is a preset and takes no sizes")
            }
            if family == .lenet5 { return lenet5(inputShape: inputShape ?? [1, 28, 28], classes: classes ?? 10) }
            return lenet300(inputs: inputShape?.reduce(1, *) ?? 784, classes: classes ?? 10)
        }
    }

    /// A multilayer perceptron from sizes `in-hidden…-classes` (`64-32-10`): Dense layers
    /// `fc1`, `fc2`, … with ReLU (`relu1`, …) between them and none after the last. Hidden
    /// layers start with He initialization (they feed a ReLU), the output layer with Xavier.
    public static func mlp(_ sizes: String) throws -> ModelArchitecture {
        let parts = sizes.split(separator: "-", omittingEmptySubsequences: false)
        var numbers: [Int] = []
        for part in parts {
            guard let n = Int(part), n >= 1 else {
                throw ModelError.invalidSpecification(
                    sizes, reason: "'\(part)' is not a positive integer; write sizes like 64-32-10")
            }
            numbers.append(n)
        }
        guard numbers.count >= 2 else {
            throw ModelError.invalidSpecification(
                sizes, reason: "an MLP needs at least an input and an output size, like 64-10 or 64-32-10")
        }
        return mlp(sizes: numbers)
    }

    /// A multilayer perceptron from its sizes (input first, classes last).
    public static func mlp(sizes: [Int]) -> ModelArchitecture {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 }, "mlp: bad sizes \(sizes)")
        var layers: [LayerDescription] = []
        for index in 1..<sizes.count {
            let isLast = index == sizes.count - 1
            layers.append(LayerDescription(kind: Dense.kind, name: "fc\(index)", attributes: [
                "in": String(sizes[index - 1]), "out": String(sizes[index]),
                "init": (isLast ? WeightInitialization.xavierUniform : .heNormal).rawValue]))
            if !isLast { layers.append(LayerDescription(kind: ReLU.kind, name: "relu\(index)")) }
        }
        return ModelArchitecture(inputShape: [sizes[0]], layers: layers)
    }

    /// The preset CNN: conv 3×3 (16 filters, padding 1) → ReLU → max-pool 2 → conv 3×3
    /// (32 filters, padding 1) → ReLU → max-pool 2 → flatten → Dense to the classes.
    /// For 1×8×8 digits: 16×8×8 → 16×4×4 → 32×4×4 → 32×2×2 → 128 → 10, 6 090 parameters
    /// (about as many as `mlp 64-64-10`; a preset with 8 and 16 filters stayed near 97 %).
    public static func cnn(inputShape: [Int] = [1, 8, 8], classes: Int = 10) -> ModelArchitecture {
        precondition(inputShape.count == 3, "cnn: input shape \(inputShape) is not [channels, height, width]")
        let (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        let flattened = 32 * (height / 2 / 2) * (width / 2 / 2)
        return ModelArchitecture(inputShape: inputShape, layers: convolutionBlocks(channels: channels, filters: (16, 32),
                                                                                    kernel: 3, padding: 1) + [
            LayerDescription(kind: Dense.kind, name: "fc1", attributes: [
                "in": String(flattened), "out": String(classes),
                "init": WeightInitialization.xavierUniform.rawValue]),
        ])
    }

    /// conv1 → relu1 → pool1 → conv2 → relu2 → pool2 → flatten: the feature extractor of the
    /// CNN presets (`kernel`×`kernel` convolutions with `filters` outputs, stride 1, He
    /// initialization, 2×2 max pooling).
    static func convolutionBlocks(channels: Int, filters: (Int, Int), kernel: Int, padding: Int) -> [LayerDescription] {
        func conv(_ name: String, _ input: Int, _ output: Int) -> LayerDescription {
            LayerDescription(kind: Conv2D.kind, name: name, attributes: [
                "in": String(input), "out": String(output), "kernel": String(kernel), "stride": "1",
                "padding": String(padding), "init": WeightInitialization.heNormal.rawValue])
        }
        return [
            conv("conv1", channels, filters.0),
            LayerDescription(kind: ReLU.kind, name: "relu1"),
            LayerDescription(kind: MaxPool2D.kind, name: "pool1", integers: ["size": 2]),
            conv("conv2", filters.0, filters.1),
            LayerDescription(kind: ReLU.kind, name: "relu2"),
            LayerDescription(kind: MaxPool2D.kind, name: "pool2", integers: ["size": 2]),
            LayerDescription(kind: Flatten.kind, name: "flatten"),
        ]
    }

    // MARK: Building

    /// A model with this structure and fresh parameters drawn from `generator`, layer by layer.
    ///
    /// Checked first, in one pass and before anything is allocated: at least one layer, an
    /// input shape of positive sizes, and what the model would take against `budget`.
    public func makeModel(generator: inout SeededGenerator, registry: LayerRegistry = .standard,
                          budget: ResourceBudget = ResourceBudget()) throws -> Model {
        guard !layers.isEmpty else {
            throw ModelError.invalidSpecification("(no layers)", reason: "a model needs at least one layer")
        }
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw ModelError.invalidSpecification(
                ModelError.shapeText(inputShape), reason: "the input shape must be one or more sizes ≥ 1")
        }
        try budget.checkModel(self)
        var shape = inputShape
        var built: [any Layer] = []
        for description in layers {
            let layer = try registry.makeLayer(description, inputShape: shape, generator: &generator)
            shape = try layer.outputShape(for: shape)
            built.append(layer)
        }
        return try Model(inputShape: inputShape, layers: built)
    }

    // MARK: Text forms

    /// A short form for lists and prompts: `mlp 64-64-10` for a plain MLP, `cnn` for the preset
    /// (`cnn 1×28×28` when adapted to other images), otherwise the input shape and the layers
    /// (`1×8×8 conv3×3·8 relu maxpool2 … dense·10`).
    public var specification: String {
        if let sizes = mlpSizes { return "mlp " + sizes.map(String.init).joined(separator: "-") }
        if inputShape.count == 3, let classes = layers.last?.attributes["out"].flatMap(Int.init),
           self == Self.cnn(inputShape: inputShape, classes: classes) {
            return inputShape == [1, 8, 8] ? "cnn" : "cnn " + inputShape.map(String.init).joined(separator: "×")
        }
        if isLeNet5 {
            return inputShape == [1, 28, 28] ? "lenet5" : "lenet5 " + inputShape.map(String.init).joined(separator: "×")
        }
        var parts = [inputShape.map(String.init).joined(separator: "×")]
        for layer in layers {
            let a = layer.attributes
            switch layer.kind {
            case Dense.kind: parts.append("dense·\(a["out"] ?? "?")")
            case Conv2D.kind:
                var text = "conv\(a["kernel"] ?? "?")×\(a["kernel"] ?? "?")·\(a["out"] ?? "?")"
                if let s = a["stride"], s != "1" { text += "/\(s)" }
                parts.append(text)
            case MaxPool2D.kind: parts.append("maxpool\(a["size"] ?? "2")")
            default: parts.append(layer.kind)
            }
        }
        return parts.joined(separator: " ")
    }

    /// The sizes of a plain MLP (Dense, ReLU, Dense, … without a trailing ReLU), else nil.
    public var mlpSizes: [Int]? {
        guard inputShape.count == 1, !layers.isEmpty else { return nil }
        var sizes = [inputShape[0]]
        for (index, layer) in layers.enumerated() {
            if index % 2 == 0 {
                guard layer.kind == Dense.kind, let input = layer.attributes["in"].flatMap(Int.init),
                      let output = layer.attributes["out"].flatMap(Int.init), input == sizes.last else { return nil }
                sizes.append(output)
            } else {
                guard layer.kind == ReLU.kind, index != layers.count - 1 else { return nil }
            }
        }
        return sizes
    }

    public var description: String { specification }

    /// The JSON stored in model files (keys sorted, so the same model gives the same bytes).
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings and integers cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the JSON of `jsonText()`.
    public init(jsonText: String) throws {
        do {
            self = try JSONDecoder().decode(ModelArchitecture.self, from: Data(jsonText.utf8))
        } catch let error as DecodingError {
            throw ModelError.invalidSpecification(TextExcerpt.plain(jsonText, limit: 60),
                                                  reason: "not an architecture in JSON: \(Self.explain(error))")
        } catch {
            throw ModelError.invalidSpecification(TextExcerpt.plain(jsonText, limit: 60), reason: "not an architecture in JSON")
        }
    }

    /// A decoding error in words, with the JSON path (`layers[2].attributes.in`), never the
    /// decoder's internal type names.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the top level" : TextExcerpt.plain(text, limit: 60)
        }
        switch error {
        case let .keyNotFound(key, context):
            let at = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "'\(TextExcerpt.plain(key.stringValue, limit: 40))' is missing\(at)"
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let expected = type == String.self ? "a string" : type == Int.self ? "an integer"
                : "\(type)".hasPrefix("Array") ? "a list" : "\(type)".hasPrefix("Dictionary") ? "an object" : "another kind of value"
            return "\(path(context.codingPath)) should be \(expected)"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "the text is not valid JSON" : "\(path(context.codingPath)) is not valid"
        @unknown default:
            return "the JSON does not describe an architecture"
        }
    }
}
