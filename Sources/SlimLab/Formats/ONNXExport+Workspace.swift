import Foundation
import SlimKernels

/// What `model export` wrote.
public struct ONNXExportSummary: Sendable {
    public var variant: String
    public var path: String
    public var form: ONNXExport.Form
    public var model: ONNXModel
    /// Bytes of the `.onnx` file.
    public var fileBytes: Int
    /// Bytes of the initializers' data (what the weights cost in the file).
    public var initializerBytes: Int
    /// The reference file and its rows (test samples), when one was asked for.
    public var reference: (path: String, rows: Int)?
}

extension Workspace {
    /// Writes variant `name` (current when nil) as an ONNX file at `path`, atomically. With
    /// `referencePath`, also writes the test split as CSV — each row the label, SlimLab's
    /// predicted class, its logits and the input features exactly as the model receives them —
    /// so that another runtime can check itself against SlimLab sample by sample.
    public func exportONNX(_ name: String? = nil, to path: String, referencePath: String? = nil) throws -> ONNXExportSummary {
        let variant = try variants.variant(named: name)
        let (file, form) = try ONNXExport.graph(of: variant.model, name: variant.name)
        var referenceText: String?
        var referenceRows = 0
        if referencePath != nil {
            guard let data else { throw ONNXReferenceError.noData }
            try variant.model.checkCompatible(with: data.test)
            referenceText = Self.referenceCSV(variant.model, data.test, pool: pool)
            referenceRows = data.test.count
        }
        let bytes = file.serialized()
        try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: path))
        if let referencePath, let referenceText {
            try AtomicFile.write(referenceText, to: URL(fileURLWithPath: referencePath))
        }
        return ONNXExportSummary(
            variant: variant.name, path: path, form: form, model: file, fileBytes: bytes.count,
            initializerBytes: file.graph.initializers.reduce(0) { $0 + $1.rawData.count },
            reference: referencePath.map { ($0, referenceRows) })
    }

    /// `label,predicted,logit0,…,x0,…` for every row; Floats in their shortest form that reads
    /// back to the same bits.
    static func referenceCSV(_ model: Model, _ dataset: Dataset, pool: ComputePool) -> String {
        let logits = model.logits(dataset.features, pool: pool)
        let classes = model.classCount, features = dataset.featureCount
        let predicted = dataset.count == 0 ? [] : logits.argmaxRows()
        var lines = [(["label", "predicted"] + (0..<classes).map { "logit\($0)" } + (0..<features).map { "x\($0)" })
            .joined(separator: ",")]
        logits.withUnsafeBufferPointer { y in
            dataset.features.withUnsafeBufferPointer { x in
                for row in 0..<dataset.count {
                    var fields = [String(dataset.labels[row]), String(predicted[row])]
                    for j in 0..<classes { fields.append(y[row * classes + j].description) }
                    for j in 0..<features { fields.append(x[row * features + j].description) }
                    lines.append(fields.joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Why the reference file could not be written.
public enum ONNXReferenceError: Error, CustomStringConvertible, Equatable {
    case noData

    public var description: String {
        "reference= writes the test split, but no data is loaded; load some with 'data load digits' first"
    }
}
